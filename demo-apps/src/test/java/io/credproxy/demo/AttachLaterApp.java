package io.credproxy.demo;

import com.sun.tools.attach.VirtualMachine;
import java.net.Proxy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Test fixture: builds its clients (both told to use no proxy), then loads the agent into itself at
 * run time, then calls. The clients built before the agent must go through the daemon all the same.
 *
 * <p>Arguments: the agent jar and the agent options.
 */
public final class AttachLaterApp {
    private AttachLaterApp() {}

    public static void main(String[] args) throws Exception {
        DemoTarget target = DemoTarget.fromEnvironment();
        HttpClient jdk = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        OkHttpClient okhttp = new OkHttpClient.Builder().proxy(Proxy.NO_PROXY).build();

        VirtualMachine self = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
        try {
            self.loadAgent(args[0], args[1]);
        } finally {
            self.detach();
        }

        HttpRequest.Builder jdkRequest = HttpRequest.newBuilder(target.uri());
        target.headers().forEach(jdkRequest::header);
        HttpResponse<String> response = jdk.send(jdkRequest.build(), HttpResponse.BodyHandlers.ofString());
        DemoTarget.report("jdk-httpclient (built before attach)", response.statusCode(), response.body());
        Request.Builder okRequest = new Request.Builder().url(target.uri().toString());
        target.headers().forEach(okRequest::header);
        try (Response ok = okhttp.newCall(okRequest.build()).execute()) {
            DemoTarget.report("okhttp (built before attach)", ok.code(), ok.body() == null ? "" : ok.body().string());
        }
    }
}
