package io.orrery.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.Test;

/** The ports the launched nodes get: outside the ephemeral range, each once, and free when handed out. */
public class FreePortsIT {

    @Test
    public void portsAreHandedOutOnceEachOutsideTheEphemeralRangeAndCanBeBound() throws Exception {
        int[] range = FreePorts.ephemeralRange();
        assertTrue("a range read from the kernel (or its default)", range[0] > 1024 && range[1] >= range[0]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int port = FreePorts.next();
            assertFalse(port + " is an ephemeral port", FreePorts.ephemeral(port));
            assertTrue(port + " handed out twice", seen.add(port));
        }
        int port = FreePorts.next();
        try (ServerSocket taken = new ServerSocket(port)) {
            assertEquals(port, taken.getLocalPort());
        }
    }
}
