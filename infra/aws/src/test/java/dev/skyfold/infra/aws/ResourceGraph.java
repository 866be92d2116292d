package dev.skyfold.infra.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which resource of a SAM template CloudFormation has to create before which, after the
 * SAM transform: references ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}) and
 * {@code DependsOn} point from a resource to what it needs, and a function's events turn
 * around. An S3 event becomes the bucket's notification (the bucket then needs the
 * function); an HTTP API event becomes the API's integration (the API needs the
 * function). CloudFormation refuses a template whose graph has a cycle.
 */
final class ResourceGraph {

	private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

	private final Map<String, Set<String>> needs = new LinkedHashMap<>();

	ResourceGraph(CloudFormationTemplate template) {
		Set<String> resources = template.resources().keySet();
		resources.forEach((id) -> this.needs.put(id, new LinkedHashSet<>()));
		for (String id : resources) {
			Map<String, Object> resource = template.resource(id);
			Object dependsOn = resource.get("DependsOn");
			if (dependsOn instanceof String name) {
				this.needs.get(id).add(name);
			}
			else if (dependsOn instanceof List<?> names) {
				names.forEach((name) -> this.needs.get(id).add((String) name));
			}
			Object properties = resource.get("Properties");
			if (CloudFormationTemplate.SAM_FUNCTION.equals(resource.get("Type"))
					&& properties instanceof Map<?, ?> map) {
				Map<Object, Object> withoutEvents = new LinkedHashMap<>(map);
				Object events = withoutEvents.remove("Events");
				collect(withoutEvents, resources, this.needs.get(id));
				if (events instanceof Map<?, ?> eventMap) {
					eventMap.values().forEach((event) -> invert(id, event, resources));
				}
			}
			else {
				collect(properties, resources, this.needs.get(id));
			}
		}
	}

	/** What the given resource needs, directly. */
	Set<String> needs(String id) {
		return this.needs.getOrDefault(id, Set.of());
	}

	/** One cycle of the graph, as the resources along it, or an empty list. */
	List<String> cycle() {
		Map<String, Integer> state = new LinkedHashMap<>();
		for (String start : this.needs.keySet()) {
			List<String> path = new ArrayList<>();
			List<String> cycle = visit(start, state, path);
			if (!cycle.isEmpty()) {
				return cycle;
			}
		}
		return List.of();
	}

	private List<String> visit(String id, Map<String, Integer> state, List<String> path) {
		Integer seen = state.get(id);
		if (seen != null && seen == 2) {
			return List.of();
		}
		if (seen != null) {
			List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
			cycle.add(id);
			return cycle;
		}
		state.put(id, 1);
		path.add(id);
		for (String next : needs(id)) {
			List<String> cycle = visit(next, state, path);
			if (!cycle.isEmpty()) {
				return cycle;
			}
		}
		path.remove(path.size() - 1);
		state.put(id, 2);
		return List.of();
	}

	private void invert(String function, Object event, Set<String> resources) {
		if (!(event instanceof Map<?, ?> map) || !(map.get("Properties") instanceof Map<?, ?> properties)) {
			return;
		}
		String type = String.valueOf(map.get("Type"));
		Object target = switch (type) {
			case "S3" -> properties.get("Bucket");
			case "HttpApi", "Api" -> properties.get((type.equals("Api")) ? "RestApiId" : "ApiId");
			default -> null;
		};
		if (target != null) {
			Set<String> referenced = new LinkedHashSet<>();
			collect(target, resources, referenced);
			referenced.forEach((resource) -> this.needs.get(resource).add(function));
		}
		// Pull events (streams, queues) become event source mappings, which nothing
		// needs.
	}

	private static void collect(Object value, Set<String> resources, Set<String> into) {
		if (value instanceof Map<?, ?> map) {
			if (map.size() == 1 && map.get("Ref") instanceof String name && resources.contains(name)) {
				into.add(name);
				return;
			}
			if (map.size() == 1 && map.get("Fn::GetAtt") instanceof List<?> getAtt
					&& resources.contains(getAtt.get(0))) {
				into.add((String) getAtt.get(0));
				return;
			}
			if (map.size() == 1 && map.containsKey("Fn::Sub")) {
				Object sub = map.get("Fn::Sub");
				String text = (sub instanceof List<?> list) ? (String) list.get(0) : (String) sub;
				Map<?, ?> variables = (sub instanceof List<?> list && list.size() > 1) ? (Map<?, ?>) list.get(1)
						: Map.of();
				Matcher matcher = SUB_VARIABLE.matcher(text);
				while (matcher.find()) {
					String name = matcher.group(1).split("\\.")[0];
					if (!variables.containsKey(name) && resources.contains(name)) {
						into.add(name);
					}
				}
				variables.values().forEach((variable) -> collect(variable, resources, into));
				return;
			}
			map.values().forEach((item) -> collect(item, resources, into));
		}
		else if (value instanceof List<?> list) {
			list.forEach((item) -> collect(item, resources, into));
		}
	}

}
