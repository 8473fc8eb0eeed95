package io.portcullis.bpf.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaglevTest {

    @Test
    void everyBackendGetsItsShareOfTheSlotsGiveOrTakeOne() throws Exception {
        for (int n : new int[] {1, 2, 3, 7, 20}) {
            int[] counts = new int[n];
            for (int index : Maglev.table(backends(n))) {
                counts[index]++;
            }
            double share = (double) Maglev.SLOTS / n;
            for (int count : counts) {
                // Backends take turns claiming slots, so no backend is more than one slot off its share.
                assertThat((double) count).as("slots of one of %d backends", n).isBetween(share - 1, share + 1);
            }
        }
    }

    @Test
    void removingABackendMovesAlmostOnlyItsOwnSlots() throws Exception {
        List<LbBackend> all = backends(10);
        int[] before = Maglev.table(all);
        LbBackend removed = all.get(4);
        List<LbBackend> rest = new ArrayList<>(all);
        rest.remove(removed);
        int[] after = Maglev.table(rest);

        int kept = 0;
        int moved = 0;
        for (int slot = 0; slot < Maglev.SLOTS; slot++) {
            LbBackend was = all.get(before[slot]);
            if (was.equals(removed)) {
                continue;
            }
            if (rest.get(after[slot]).equals(was)) {
                kept++;
            } else {
                moved++;
            }
        }
        double disruption = (double) moved / (kept + moved);
        System.out.printf("maglev: removing 1 of 10 backends moved %.1f%% of the other backends' slots%n",
                disruption * 100);
        // Rehashing (index mod N) would move ~90% of them; the paper reports a few percent for Maglev.
        assertThat(disruption).isLessThan(0.10);
    }

    @Test
    void theTableDependsOnTheSetOfBackendsNotTheirOrder() throws Exception {
        List<LbBackend> ordered = backends(5);
        List<LbBackend> shuffled = new ArrayList<>(ordered);
        Collections.shuffle(shuffled, new Random(7));
        int[] a = Maglev.table(ordered);
        int[] b = Maglev.table(shuffled);

        for (int slot = 0; slot < Maglev.SLOTS; slot++) {
            assertThat(shuffled.get(b[slot])).isEqualTo(ordered.get(a[slot]));
        }
    }

    @Test
    void aTableNeedsABackend() {
        assertThatThrownBy(() -> Maglev.table(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one backend");
    }

    private static List<LbBackend> backends(int n) throws Exception {
        List<LbBackend> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new LbBackend((Inet4Address) InetAddress.getByName("10.200.0." + (i + 1)), 8080));
        }
        return list;
    }
}
