package io.credproxy.demo;

import java.net.Proxy;
import java.util.concurrent.TimeUnit;
import okhttp3.CertificatePinner;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * OkHttp (4.x or 5.x), trying to go around the proxy with {@code proxy(Proxy.NO_PROXY)}, and pinning
 * the host's certificate: a pin of the real server's key, which no interception could satisfy.
 */
public final class OkHttpDemo {
    /** A made-up pin standing for the real server's public key. */
    static final String PIN = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private OkHttpDemo() {}

    public static void main(String[] args) {
        DemoTarget target = DemoTarget.fromEnvironment();
        try {
            OkHttpClient client = new OkHttpClient.Builder()
                    .proxy(Proxy.NO_PROXY)
                    .certificatePinner(new CertificatePinner.Builder().add(target.host(), PIN).build())
                    .connectTimeout(10, TimeUnit.SECONDS)
                    .readTimeout(20, TimeUnit.SECONDS)
                    .build();
            Request.Builder builder = new Request.Builder().url(target.uri().toString());
            target.headers().forEach(builder::header);
            Request request = builder.build();
            try (Response response = client.newCall(request).execute()) {
                ResponseBody body = response.body();
                DemoTarget.report("okhttp", response.code(), body == null ? "" : body.string());
            }
        } catch (Exception e) {
            DemoTarget.fail("okhttp", e);
        }
    }
}
