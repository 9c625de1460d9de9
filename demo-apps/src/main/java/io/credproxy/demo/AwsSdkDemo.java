package io.credproxy.demo;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The AWS SDK v2 (S3 {@code GetObject}, path style, an endpoint override naming the API's host) on
 * each of its Java HTTP clients: {@code apache} (Apache HttpClient 4), {@code url-connection}
 * ({@code HttpURLConnection}) and {@code netty} (its own Netty pipeline on NIO, asynchronous). No proxy
 * configured, placeholder keys: the SDK signs with them, and the daemon's rule replaces the
 * {@code Authorization} header with the real credential. Region and keys are given, so the SDK never
 * asks an instance metadata service. The run's tag goes in the query, as for the other apps.
 */
public final class AwsSdkDemo {
    private static final AwsBasicCredentials PLACEHOLDER_KEYS = AwsBasicCredentials.create("AKIDPROXYMANAGED", DemoApi.PLACEHOLDER);

    private AwsSdkDemo() {}

    public static void main(String[] args) {
        String httpClient = args.length > 0 ? args[0] : "apache";
        try {
            call(DemoTarget.fromEnvironment(), httpClient);
        } catch (Exception e) {
            DemoTarget.fail("aws-sdk-" + httpClient, e);
        }
    }

    /** One {@code GetObject} with {@code httpClient} ({@code apache}, {@code url-connection} or {@code netty}); prints the outcome line. */
    static void call(DemoTarget target, String httpClient) throws Exception {
        String name = "aws-sdk-" + httpClient;
        URI endpoint = URI.create(target.uri().getScheme() + "://" + target.uri().getRawAuthority());
        GetObjectRequest get = GetObjectRequest.builder().bucket("demo-bucket").key("token").build();
        try {
            ResponseBytes<GetObjectResponse> object = switch (httpClient) {
                case "apache", "url-connection" -> {
                    try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                            .credentialsProvider(StaticCredentialsProvider.create(PLACEHOLDER_KEYS))
                            .overrideConfiguration(c -> c.addExecutionInterceptor(new RunTag(target)))
                            .httpClient(httpClient.equals("apache")
                                    ? ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).build()
                                    : UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).build())
                            .build()) {
                        yield s3.getObjectAsBytes(get);
                    }
                }
                case "netty" -> {
                    try (S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                            .credentialsProvider(StaticCredentialsProvider.create(PLACEHOLDER_KEYS))
                            .overrideConfiguration(c -> c.addExecutionInterceptor(new RunTag(target)))
                            .httpClient(NettyNioAsyncHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).build())
                            .build()) {
                        yield s3.getObject(get, AsyncResponseTransformer.toBytes()).get();
                    }
                }
                default -> throw new IllegalArgumentException("unknown AWS SDK HTTP client " + httpClient);
            };
            DemoTarget.report(name, object.response().sdkHttpResponse().statusCode(), object.asUtf8String());
        } catch (S3Exception e) {
            DemoTarget.report(name, e.statusCode(), e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorMessage());
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof S3Exception s3) {
                DemoTarget.report(name, s3.statusCode(), s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorMessage());
            } else {
                throw e;
            }
        }
    }

    /** Adds the demo URL's query (the run's tag) to each request, before the SDK signs it. */
    private static final class RunTag implements ExecutionInterceptor {
        private final String query;

        RunTag(DemoTarget target) {
            this.query = target.uri().getRawQuery();
        }

        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            if (query == null) {
                return context.httpRequest();
            }
            SdkHttpRequest.Builder request = context.httpRequest().toBuilder();
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                request.appendRawQueryParameter(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
            }
            return request.build();
        }
    }
}
