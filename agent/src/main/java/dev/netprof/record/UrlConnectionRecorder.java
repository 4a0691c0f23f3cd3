package dev.netprof.record;

import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.Socket;

/**
 * HttpURLConnection and HttpsURLConnection: the exchange is the outermost {@code getInputStream} of a thread
 * (getResponseCode and redirects call it again from inside), and the socket that carried it is the one whose
 * response headers were last parsed inside it ({@code sun.net.www.http.HttpClient.parseHTTP}, also after a retry on
 * a fresh connection). A per-thread frame counts the nesting.
 */
public final class UrlConnectionRecorder {
    private static final class Frame extends OutermostCall {
        Socket socket;
    }

    private static final ThreadLocal<Frame> FRAME = ThreadLocal.withInitial(Frame::new);
    /**
     * Connections already recorded: getResponseCode, getHeaderField and the like call getInputStream again after
     * the exchange, to read its cached result. Weak, so a connection object is forgotten with the application's.
     */
    private static final WeakIdentityMap<Boolean> RECORDED = new WeakIdentityMap<>();

    public static void starting() {
        if (Recorder.current() == null) {
            return;
        }
        Frame f = FRAME.get();
        if (f.enter()) {
            f.socket = null;
        }
    }

    /** Response headers were parsed from {@code socket} inside the current exchange. */
    public static void parsed(Socket socket) {
        if (Recorder.current() != null) {
            FRAME.get().socket = socket;
        }
    }

    /**
     * The outermost getInputStream returned or threw. Nothing here may call back into the connection (its header
     * getters call getInputStream again), so the status comes from its field and the body size stays unknown.
     */
    public static void done(HttpURLConnection connection, String method, int responseCode, Throwable thrown) {
        Frame f = FRAME.get();
        if (!f.exit()) {
            return;
        }
        Socket socket = f.socket;
        f.socket = null;
        if (Recorder.current() == null || RECORDED.put(connection, Boolean.TRUE) != null) {
            return;
        }
        // In streaming mode a redirect or an authentication challenge cannot be followed: the connection resets its
        // response code and throws, and the exception carries the code.
        boolean unfollowed = responseCode <= 0 && thrown instanceof HttpRetryException;
        int status = unfollowed ? ((HttpRetryException) thrown).responseCode() : responseCode;
        HttpRecorder.exchange("httpurlconnection", method, connection.getURL(), status, "HTTP/1.1", f.startNs,
            -1, -1, socket, null, null, status > 0 && !unfollowed ? null : thrown);
    }

    private UrlConnectionRecorder() {
    }
}
