package io.credproxy.demo;

import io.credproxy.testing.RecordedRequest;
import io.credproxy.testing.RecordingUpstream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The four APIs as the demo's stand-in upstream plays them: each answers 200 only to a request that
 * carries its real credential, and refuses anything else the way the API would (401 or 403), so an
 * app's own output already shows whether the daemon added the credential.
 *
 * <p>Which API a request is for comes from its {@code Host} header, as with any virtual host. The
 * answers never contain a credential (a real API does not echo its token back either), so an app
 * that prints what it got cannot learn one. The daemon's secret names are the names of the apps'
 * placeholder variables ({@link DemoApi#tokenVariable()}), plus the two Cloudflare Access secrets
 * the CRM rule adds.
 */
final class StandInApis implements RecordingUpstream.Answerer {
    static final String CRM_ACCESS_ID = "CLOUDFLARE_ACCESS_CLIENT_ID";
    static final String CRM_ACCESS_SECRET = "CLOUDFLARE_ACCESS_CLIENT_SECRET";

    private final Map<String, String> secrets;

    StandInApis(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    /** The API the request was addressed to, by its {@code Host} header. */
    static Optional<DemoApi> apiOf(RecordedRequest request) {
        String host = request.firstHeader("Host");
        if (host == null) {
            return Optional.empty();
        }
        int colon = host.lastIndexOf(':');
        return DemoApi.forHost((colon > 0 ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT));
    }

    /** Whether the request carries the real credential of the API it was addressed to. */
    boolean authorized(RecordedRequest request) {
        Optional<DemoApi> api = apiOf(request);
        if (api.isEmpty()) {
            return false;
        }
        String token = secrets.get(api.get().tokenVariable());
        return switch (api.get()) {
            case CLOUDFLARE -> Objects.equals(request.firstHeader("Authorization"), "Bearer " + token);
            case GOOGLE_PLACES -> Objects.equals(request.firstHeader("X-Goog-Api-Key"), token);
            case CRM -> Objects.equals(request.firstHeader("Authorization"), "Bearer " + token)
                    && Objects.equals(request.firstHeader("CF-Access-Client-Id"), secrets.get(CRM_ACCESS_ID))
                    && Objects.equals(request.firstHeader("CF-Access-Client-Secret"), secrets.get(CRM_ACCESS_SECRET));
            case TELEGRAM -> request.uri().startsWith("/bot" + token + "/");
        };
    }

    @Override
    public RecordingUpstream.Answer answer(RecordedRequest request) {
        Optional<DemoApi> api = apiOf(request);
        if (api.isEmpty()) {
            return json(404, "{\"error\":\"no such host here\"}");
        }
        boolean ok = authorized(request);
        return switch (api.get()) {
            case CLOUDFLARE -> ok ? json(200, "{\"success\":true,\"result\":{\"status\":\"active\"},\"messages\":[\"This API Token is valid and active\"]}")
                    : json(401, "{\"success\":false,\"errors\":[{\"code\":1000,\"message\":\"Invalid API Token\"}]}");
            case GOOGLE_PLACES -> ok ? json(200, "{\"displayName\":{\"text\":\"Sydney Opera House\"},\"rating\":4.7}")
                    : json(403, "{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\",\"message\":\"API key not valid.\"}}");
            case CRM -> ok ? json(200, "{\"contacts\":[{\"name\":\"Ada\"},{\"name\":\"Grace\"}]}")
                    : json(403, "{\"error\":\"Forbidden: Cloudflare Access and a CRM key are required\"}");
            case TELEGRAM -> ok ? json(200, "{\"ok\":true,\"result\":{\"is_bot\":true,\"username\":\"credproxy_demo_bot\"}}")
                    : json(401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
        };
    }

    private static RecordingUpstream.Answer json(int status, String body) {
        return new RecordingUpstream.Answer(status, "application/json", body);
    }
}
