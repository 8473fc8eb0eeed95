package io.portcullis.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowHistoryTest {
    @Test
    void keepsTheLastRecordsAndHandsLaterOnesToSubscribersWithoutGapOrOverlap() {
        FlowHistory history = new FlowHistory(3);
        for (int i = 1; i <= 5; i++) {
            history.publish(new FlowRecord("{\"n\":" + i + "}"));
        }
        List<String> replayed = new ArrayList<>();
        List<String> live = new ArrayList<>();
        FlowHistory.Subscription subscription = history.replayAndSubscribe(
                records -> records.forEach(r -> replayed.add(r.json())), r -> live.add(r.json()));
        history.publish(new FlowRecord("{\"n\":6}"));
        subscription.close();
        history.publish(new FlowRecord("{\"n\":7}"));

        assertThat(replayed).containsExactly("{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
        assertThat(live).containsExactly("{\"n\":6}");
        assertThat(history.snapshot()).extracting(FlowRecord::json)
                .containsExactly("{\"n\":5}", "{\"n\":6}", "{\"n\":7}");
    }
}
