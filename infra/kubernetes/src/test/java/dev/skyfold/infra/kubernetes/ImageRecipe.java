package dev.skyfold.infra.kubernetes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What the local app's {@code container-image} profile tells Jib to build, read from
 * {@code infra/local/pom.xml}: the image's name, user, port, volume, JVM flags and
 * environment.
 *
 * @param image the image's name and tag
 * @param user the user and group the app runs as, such as {@code 10001:10001}
 * @param ports the ports it exposes
 * @param volumes the folders it declares as volumes
 * @param jvmFlags the JVM's flags
 * @param environment the environment it sets
 */
record ImageRecipe(String image, String user, List<Integer> ports, List<String> volumes, List<String> jvmFlags,
		Map<String, String> environment) {

	/** The profile that builds the image. */
	static final String PROFILE = "container-image";

	private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

	private static final Pattern MAX_RAM_PERCENTAGE = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)");

	/**
	 * Reads the recipe from the pom that the build names.
	 * @return the recipe
	 */
	static ImageRecipe read() {
		Path pom = Path.of(System.getProperty("skyfold.local.pom", "../local/pom.xml"));
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			Document document = factory.newDocumentBuilder().parse(pom.toFile());
			Element project = document.getDocumentElement();
			Element profile = children(child(project, "profiles"), "profile").stream()
				.filter((candidate) -> PROFILE.equals(text(child(candidate, "id"))))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(pom + " has no profile " + PROFILE));
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("project.version", text(child(child(project, "parent"), "version")));
			for (Element property : children(child(profile, "properties"), null)) {
				properties.put(property.getTagName(), text(property));
			}
			Element jib = children(child(child(profile, "build"), "plugins"), "plugin").stream()
				.filter((plugin) -> "jib-maven-plugin".equals(text(child(plugin, "artifactId"))))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No Jib in the profile " + PROFILE + " of " + pom));
			Element configuration = child(jib, "configuration");
			Element container = child(configuration, "container");
			Map<String, String> environment = new LinkedHashMap<>();
			for (Element variable : children(child(container, "environment"), null)) {
				environment.put(variable.getTagName(), resolve(text(variable), properties));
			}
			return new ImageRecipe(resolve(text(child(child(configuration, "to"), "image")), properties),
					text(child(container, "user")),
					texts(child(container, "ports"), "port").stream().map(Integer::valueOf).toList(),
					texts(child(container, "volumes"), "volume"), texts(child(container, "jvmFlags"), "jvmFlag"),
					environment);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not read the image's recipe from " + pom, ex);
		}
	}

	/**
	 * The user id the app runs as.
	 * @return the number before the colon of {@link #user()}
	 */
	long userId() {
		return Long.parseLong(this.user.split(":")[0]);
	}

	/**
	 * The group id the app runs as.
	 * @return the number after the colon of {@link #user()}
	 */
	long groupId() {
		return Long.parseLong(this.user.split(":")[1]);
	}

	/**
	 * The share of the container's memory that the JVM takes for its heap.
	 * @return the fraction, such as {@code 0.6}
	 */
	double heapFraction() {
		for (String flag : this.jvmFlags) {
			Matcher matcher = MAX_RAM_PERCENTAGE.matcher(flag);
			if (matcher.matches()) {
				return Double.parseDouble(matcher.group(1)) / 100;
			}
		}
		// The JVM's own default.
		return 0.25;
	}

	private static String resolve(String value, Map<String, String> properties) {
		String resolved = value;
		for (int round = 0; round < 5; round++) {
			Matcher matcher = PROPERTY.matcher(resolved);
			StringBuilder result = new StringBuilder();
			while (matcher.find()) {
				String replacement = properties.get(matcher.group(1));
				matcher.appendReplacement(result,
						Matcher.quoteReplacement((replacement != null) ? replacement : matcher.group()));
			}
			matcher.appendTail(result);
			resolved = result.toString();
		}
		return resolved;
	}

	private static Element child(@Nullable Element parent, String name) {
		if (parent != null) {
			for (Element child : children(parent, name)) {
				return child;
			}
		}
		throw new IllegalStateException(
				"No <" + name + "> in <" + ((parent != null) ? parent.getTagName() : "?") + ">");
	}

	private static List<Element> children(Element parent, @Nullable String name) {
		List<Element> children = new ArrayList<>();
		for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element element && (name == null || name.equals(element.getTagName()))) {
				children.add(element);
			}
		}
		return children;
	}

	private static List<String> texts(Element parent, String name) {
		return children(parent, name).stream().map(ImageRecipe::text).toList();
	}

	private static String text(Element element) {
		return element.getTextContent().trim();
	}

}
