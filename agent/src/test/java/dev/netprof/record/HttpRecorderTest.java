package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import okhttp3.Protocol;
import org.junit.jupiter.api.Test;

class HttpRecorderTest {
    @Test
    void everyClientsProtocolReadsAsItsVersion() {
        assertEquals("HTTP/1.1", HttpRecorder.version(HttpClient.Version.HTTP_1_1));
        assertEquals("HTTP/2", HttpRecorder.version(HttpClient.Version.HTTP_2));
        assertEquals("HTTP/1.0", HttpRecorder.version(Protocol.HTTP_1_0));
        assertEquals("HTTP/1.1", HttpRecorder.version(Protocol.HTTP_1_1));
        assertEquals("HTTP/2", HttpRecorder.version(Protocol.HTTP_2));
        assertEquals("HTTP/2", HttpRecorder.version(Protocol.H2_PRIOR_KNOWLEDGE), "cleartext HTTP/2");
        assertEquals("HTTP/3", HttpRecorder.version(Protocol.HTTP_3));
        assertEquals("HTTP/1.0", HttpRecorder.version(1, 0));
        assertEquals("HTTP/2", HttpRecorder.version(2, 0));
    }

    @Test
    void aContentLengthThatIsNoLengthIsUnknown() {
        assertEquals(3000, HttpRecorder.contentLength(" 3000 "));
        assertEquals(-1, HttpRecorder.contentLength(null));
        assertEquals(-1, HttpRecorder.contentLength("3000, 3000"));
        assertEquals(-1, HttpRecorder.contentLength("-5"));
        assertEquals(-1, HttpRecorder.contentLength("99999999999999999999"));
    }
}
