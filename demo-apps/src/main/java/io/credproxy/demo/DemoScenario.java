package io.credproxy.demo;

import java.util.List;

/**
 * One app run in the demo: which app (the name the agent reports it under), what it tries, which
 * API it calls, how, and what must happen.
 *
 * @param app the app name given to the agent ({@code app=}), as the daemon's reports show it
 * @param main the demo app's main class
 * @param api the API it calls
 * @param plainHttp whether it calls the API over {@code http://} instead of https
 * @param agentOptions agent options besides proxy, admin and app (such as {@code ,sockets=block})
 * @param tries what the app does to get around the proxy, for the reader
 * @param expect what credproxy must make of it
 */
record DemoScenario(String app, Class<?> main, DemoApi api, boolean plainHttp, String agentOptions, String tries, Expect expect) {

    /** What must happen. */
    enum Expect {
        /** The request reaches the upstream with the real credential, added by the daemon. */
        CREDENTIAL_ADDED,
        /** The agent refuses the raw socket ({@code sockets=block}); nothing reaches the upstream. */
        SOCKET_BLOCKED,
        /** The daemon answers 421 (Host header names another host than the connection); nothing reaches the upstream. */
        MISDIRECTED,
        /** The request reaches the upstream over plain HTTP without any credential. */
        NO_CREDENTIAL_OVER_PLAIN_HTTP
    }

    /** The demo's runs, in order. */
    static List<DemoScenario> all() {
        return List.of(
                https("jdk-httpclient", JdkHttpClientDemo.class, DemoApi.CLOUDFLARE,
                        "java.net.http.HttpClient: ProxySelector.setDefault(null), NO_PROXY, HTTP/2"),
                https("urlconnection", UrlConnectionDemo.class, DemoApi.GOOGLE_PLACES,
                        "HttpURLConnection: openConnection(Proxy.NO_PROXY), http.nonProxyHosts=*"),
                https("okhttp", OkHttpDemo.class, DemoApi.CRM,
                        "OkHttp: proxy(Proxy.NO_PROXY) and a certificate pin on the host"),
                https("apache-classic", ApacheClassicDemo.class, DemoApi.TELEGRAM,
                        "Apache HttpClient 5 classic: a route planner that always says direct; createDefault()"),
                https("apache-async", ApacheAsyncDemo.class, DemoApi.CLOUDFLARE,
                        "Apache HttpClient 5 async: a route planner that always says direct"),
                https("raw-socket", RawSocketDemo.class, DemoApi.GOOGLE_PLACES,
                        "a raw Socket(Proxy.NO_PROXY), TLS and HTTP written by hand"),
                https("socket-channel", SocketChannelDemo.class, DemoApi.TELEGRAM,
                        "a non-blocking SocketChannel, TLS and HTTP written by hand"),
                https("netty-epoll", NettyDemo.class, DemoApi.CRM,
                        "plain Netty on epoll: a native connect(2) that no JDK socket class sees"),
                new DemoScenario("raw-socket-blocked", RawSocketDemo.class, DemoApi.CLOUDFLARE, false, ",sockets=block",
                        "the raw socket again, under the agent option sockets=block", Expect.SOCKET_BLOCKED),
                new DemoScenario("apache4-block", Apache4Demo.class, DemoApi.GOOGLE_PLACES, false, ",sockets=block",
                        "Apache HttpClient 4 (the AWS SDK's default), direct route planner, under sockets=block",
                        Expect.CREDENTIAL_ADDED),
                new DemoScenario("host-spoof", HostSpoofDemo.class, DemoApi.TELEGRAM, false, "",
                        "Host: api.cloudflare.com on a connection to api.telegram.org", Expect.MISDIRECTED),
                new DemoScenario("plaintext-http", UrlConnectionDemo.class, DemoApi.CLOUDFLARE, true, "",
                        "HttpURLConnection to http://, no TLS", Expect.NO_CREDENTIAL_OVER_PLAIN_HTTP));
    }

    private static DemoScenario https(String app, Class<?> main, DemoApi api, String tries) {
        return new DemoScenario(app, main, api, false, "", tries, Expect.CREDENTIAL_ADDED);
    }

    /** Where it goes, for the reader: the host, with {@code http://} when plain. */
    String destination() {
        return (plainHttp ? "http://" : "") + api.host();
    }
}
