package dev.skyfold.infra.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A CloudFormation (SAM) template read into plain maps and lists, with every short-form
 * intrinsic function ({@code !Ref x}, {@code !GetAtt a.b}, {@code !Sub ...}) turned into
 * its long form ({@code {Ref: x}}, {@code {Fn::GetAtt: [a, b]}}, {@code {Fn::Sub: ...}}),
 * so that both spellings read the same.
 */
final class CloudFormationTemplate {

	static final String SAM_FUNCTION = "AWS::Serverless::Function";

	private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs",
			"ImportValue", "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or",
			"ToJsonString", "Length");

	private final Map<String, Object> root;

	private CloudFormationTemplate(Map<String, Object> root) {
		this.root = root;
	}

	/**
	 * The template the build checks: the {@code skyfold.template} system property, else
	 * {@code template.yaml} in the working directory (the module's folder under Maven).
	 */
	static Path path() {
		String configured = System.getProperty("skyfold.template");
		return (configured != null) ? Path.of(configured) : Path.of("template.yaml").toAbsolutePath();
	}

	static CloudFormationTemplate load() {
		try {
			return parse(Files.readString(path()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static CloudFormationTemplate parse(String yaml) {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		Object root = new Yaml(new IntrinsicFunctions(options)).load(yaml);
		if (!(root instanceof Map)) {
			throw new IllegalArgumentException("A template is a YAML mapping, not " + root);
		}
		return new CloudFormationTemplate((Map<String, Object>) root);
	}

	Map<String, Object> root() {
		return this.root;
	}

	Map<String, Object> section(String name) {
		return map(this.root.get(name), name);
	}

	Map<String, Object> resources() {
		return section("Resources");
	}

	Map<String, Object> resource(String logicalId) {
		return map(resources().get(logicalId), "Resources." + logicalId);
	}

	@Nullable String type(String logicalId) {
		Object resource = resources().get(logicalId);
		return (resource instanceof Map<?, ?> map) ? (String) map.get("Type") : null;
	}

	Map<String, Object> properties(String logicalId) {
		return map(resource(logicalId).get("Properties"), "Resources." + logicalId + ".Properties");
	}

	/** Logical ids of the resources of one type, in template order. */
	List<String> resourcesOfType(String type) {
		List<String> ids = new ArrayList<>();
		resources().forEach((id, resource) -> {
			if (resource instanceof Map<?, ?> map && type.equals(map.get("Type"))) {
				ids.add(id);
			}
		});
		return ids;
	}

	/**
	 * A SAM function's properties as SAM applies them: {@code Globals.Function} first,
	 * the function's own on top (maps merge, lists add up, other values are replaced).
	 */
	Map<String, Object> functionProperties(String logicalId) {
		Map<String, Object> globals = Map.of();
		if (this.root.get("Globals") instanceof Map<?, ?> sections && sections.get("Function") != null) {
			globals = map(sections.get("Function"), "Globals.Function");
		}
		return merge(globals, properties(logicalId));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> merge(Map<String, Object> global, Map<String, Object> local) {
		Map<String, Object> merged = new LinkedHashMap<>(global);
		local.forEach((key, value) -> merged.merge(key, value, (before, after) -> {
			if (before instanceof Map && after instanceof Map) {
				return merge((Map<String, Object>) before, (Map<String, Object>) after);
			}
			if (before instanceof List<?> first && after instanceof List<?> second) {
				List<Object> both = new ArrayList<>(first);
				both.addAll(second);
				return both;
			}
			return after;
		}));
		return merged;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(@Nullable Object value, String where) {
		if (!(value instanceof Map)) {
			throw new AssertionError(where + " is not a mapping: " + value);
		}
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(@Nullable Object value, String where) {
		if (!(value instanceof List)) {
			throw new AssertionError(where + " is not a list: " + value);
		}
		return (List<Object>) value;
	}

	/** {@code {Ref: name}}. */
	static Map<String, Object> ref(String name) {
		return Map.of("Ref", name);
	}

	/** {@code {Fn::GetAtt: [resource, attribute]}}. */
	static Map<String, Object> getAtt(String resource, String attribute) {
		return Map.of("Fn::GetAtt", List.of(resource, attribute));
	}

	/** {@code {Fn::Sub: text}}. */
	static Map<String, Object> sub(String text) {
		return Map.of("Fn::Sub", text);
	}

	/**
	 * Maps each CloudFormation short-form tag to the long form; any other local tag is a
	 * mistake and fails the load.
	 */
	private static final class IntrinsicFunctions extends SafeConstructor {

		IntrinsicFunctions(LoaderOptions options) {
			super(options);
			this.yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
			this.yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
			for (String function : FUNCTIONS) {
				this.yamlConstructors.put(new Tag("!" + function), new LongForm("Fn::" + function));
			}
		}

		private final class LongForm extends AbstractConstruct {

			private final String key;

			LongForm(String key) {
				this.key = key;
			}

			@Override
			public Object construct(Node node) {
				Object argument;
				if (node instanceof ScalarNode scalar) {
					String text = constructScalar(scalar);
					// !GetAtt resource.attribute is the short spelling of [resource,
					// attribute]; the attribute may contain dots itself.
					argument = ("Fn::GetAtt".equals(this.key) && text.contains("."))
							? List.of(text.substring(0, text.indexOf('.')), text.substring(text.indexOf('.') + 1))
							: text;
				}
				else if (node instanceof SequenceNode sequence) {
					argument = constructSequence(sequence);
				}
				else {
					argument = constructMapping((MappingNode) node);
				}
				Map<String, Object> longForm = new LinkedHashMap<>();
				longForm.put(this.key, argument);
				return longForm;
			}

		}

	}

}
