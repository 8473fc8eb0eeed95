package io.portcullis.cli;

import io.portcullis.policy.kafka.SimpleKafkaRequest;
import io.portcullis.policy.model.KafkaApiKeys;
import java.util.LinkedHashSet;
import java.util.OptionalInt;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code policy explain --kafka 'produce topic=orders clientID=billing'}: an API key by name
 * ({@code produce}, {@code fetch}, ...), then {@code version=}, {@code clientID=} and one
 * {@code topic=} per topic (comma-separated lists too), each optional.
 */
final class KafkaQuestion {
    private KafkaQuestion() {
    }

    static SimpleKafkaRequest parse(String text, CommandLine commandLine) {
        String[] words = text.trim().split("\\s+");
        OptionalInt apiKey = KafkaApiKeys.byName(words[0]);
        if (words[0].isEmpty() || apiKey.isEmpty()) {
            throw new ParameterException(commandLine, "--kafka must start with an API key such as produce or fetch,"
                    + " not '" + words[0] + "'");
        }
        int version = 0;
        String clientId = null;
        Set<String> topics = new LinkedHashSet<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            String key = eq < 0 ? words[i] : words[i].substring(0, eq);
            String value = eq < 0 ? "" : words[i].substring(eq + 1);
            switch (key) {
                case "version":
                    version = number(value, commandLine);
                    break;
                case "clientID":
                    clientId = value;
                    break;
                case "topic":
                    for (String topic : value.split(",")) {
                        if (!topic.isEmpty()) {
                            topics.add(topic);
                        }
                    }
                    break;
                default:
                    throw new ParameterException(commandLine, "--kafka takes version=, clientID= and topic=, not '"
                            + words[i] + "'");
            }
        }
        return new SimpleKafkaRequest(apiKey.getAsInt(), version, clientId, topics);
    }

    private static int number(String value, CommandLine commandLine) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ParameterException(commandLine, "--kafka version must be a number, not '" + value + "'");
        }
    }
}
