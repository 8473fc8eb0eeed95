package io.portcullis.config.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML (one or many documents) into {@link YamlNode} trees that keep each node's line and
 * column. Syntax errors and duplicate keys become {@link ConfigException}s naming the source.
 */
public final class YamlReader {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlReader() {
    }

    /** @throws ConfigException also when the file is not UTF-8 text, at the first byte that is not */
    public static List<YamlNode> readAll(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return readAll(file.toString(), utf8(file.toString(), bytes));
    }

    private static String utf8(String source, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(in).toString();
        } catch (CharacterCodingException e) {
            int bad = in.position();   // the decoder stops at the malformed sequence
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new ConfigException(new Location(source, line, bad - lineStart + 1), "", "not UTF-8 text");
        }
    }

    /** Every non-empty document of {@code content}; {@code source} names it in errors. */
    public static List<YamlNode> readAll(String source, String content) {
        List<YamlNode> documents = new ArrayList<>();
        try (JsonParser parser = FACTORY.createParser(content)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                YamlNode node = read(parser, token, source, "");
                if (!(node instanceof YamlScalar s && (s.isNull() || s.text().isBlank()))) {
                    documents.add(node);
                }
            }
        } catch (IOException e) {
            JsonLocation at = e instanceof com.fasterxml.jackson.core.JsonProcessingException p ? p.getLocation() : null;
            Location location = at == null ? new Location(source, 0, 0)
                    : new Location(source, at.getLineNr(), at.getColumnNr());
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException p
                    ? p.getOriginalMessage() : e.getMessage();
            throw new ConfigException(location, "", "invalid YAML: " + firstLine(message));
        }
        return documents;
    }

    private static YamlNode read(JsonParser parser, JsonToken token, String source, String path) throws IOException {
        Location location = locate(parser, source);
        switch (token) {
            case START_OBJECT: {
                LinkedHashMap<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, Location> keyLocations = new HashMap<>();
                while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
                    String key = parser.currentName();
                    Location keyLocation = locate(parser, source);
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    YamlNode value = read(parser, parser.nextToken(), source, childPath);
                    if (entries.put(key, value) != null) {
                        throw new ConfigException(keyLocation, childPath, "duplicate key");
                    }
                    keyLocations.put(key, keyLocation);
                }
                return new YamlMap(location, path, entries, keyLocations);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(read(parser, token, source, path + "[" + items.size() + "]"));
                }
                return new YamlList(location, path, items);
            }
            case VALUE_NULL:
                return new YamlScalar(location, path, null);
            default:
                return new YamlScalar(location, path, parser.getText());
        }
    }

    private static Location locate(JsonParser parser, String source) {
        JsonLocation at = parser.currentTokenLocation();
        return new Location(source, at.getLineNr(), at.getColumnNr());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
