package io.credproxy.daemon.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;

/**
 * Reads YAML text into a {@link JsonNode} tree with the YAML parser's tokens, the tree
 * {@code new ObjectMapper(new YAMLFactory()).readTree(text)} gives, and one rule stricter: a key
 * written twice in one mapping is refused (the mapper keeps the last, so a second {@code secrets:}
 * or {@code headers:} further down would silently replace the first).
 *
 * <p>Why not the mapper: it loads databind's deserializer machinery, about 540 classes and 3.3 MiB
 * of metaspace kept for the life of the daemon, to build a tree this class builds in a page
 * (docs/BENCHMARKS.md, "Memory"). {@code YamlTreeTest} compares both trees on every sample config.
 */
final class YamlTree {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlTree() {}

    /**
     * The first document's tree, or {@code null} for a text with no document.
     *
     * @throws IOException (a {@code JacksonException}) when the text is not YAML
     * @throws ConfigException when a mapping has a key twice
     */
    static JsonNode read(String text) throws IOException, ConfigException {
        try (JsonParser parser = YAML.createParser(text)) {
            return parser.nextToken() == null ? null : value(parser, "");
        }
    }

    private static JsonNode value(JsonParser p, String path) throws IOException, ConfigException {
        JsonToken token = p.currentToken();
        if (token == null) {
            throw new ConfigException("the YAML ends inside " + (path.isEmpty() ? "the document" : path) + line(p));
        }
        switch (token) {
            case START_OBJECT:
                return mapping(p, path);
            case START_ARRAY:
                return sequence(p, path);
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return switch (p.getNumberType()) {
                    case BIG_DECIMAL -> NODES.numberNode(p.getDecimalValue());
                    case FLOAT -> NODES.numberNode(p.getFloatValue());
                    default -> NODES.numberNode(p.getDoubleValue());
                };
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT:
                Object embedded = p.getEmbeddedObject();
                return embedded instanceof byte[] bytes ? NODES.binaryNode(bytes) : NODES.pojoNode(embedded);
            default:
                throw new ConfigException("unexpected YAML token " + token + (path.isEmpty() ? "" : " at " + path) + line(p));
        }
    }

    private static ObjectNode mapping(JsonParser p, String path) throws IOException, ConfigException {
        ObjectNode node = NODES.objectNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t == null) {
                throw new ConfigException("the YAML ends inside " + (path.isEmpty() ? "the document" : path) + line(p));
            }
            String key = p.currentName();
            String keyPath = path.isEmpty() ? key : path + "." + key;
            p.nextToken();
            if (node.has(key)) {
                throw new ConfigException("duplicate key " + keyPath + line(p));
            }
            node.set(key, value(p, keyPath));
        }
        return node;
    }

    private static ArrayNode sequence(JsonParser p, String path) throws IOException, ConfigException {
        ArrayNode node = NODES.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new ConfigException("the YAML ends inside " + path + line(p));
            }
            node.add(value(p, path + "[" + node.size() + "]"));
        }
        return node;
    }

    private static String line(JsonParser p) {
        return p.currentLocation() == null ? "" : " at line " + p.currentLocation().getLineNr();
    }
}
