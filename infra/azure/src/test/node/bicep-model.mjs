// Reads Bicep files with the tree-sitter Bicep grammar and prints, as JSON, what the infra
// tests check: syntax errors, references to names nothing declares, declarations nothing
// uses, and each file's parameters, variables, resources, modules and outputs. Literal
// values come out as JSON; any other expression as {"$expr": "<its source text>"}.
//
//   node bicep-model.mjs main.bicep function-app.bicep
//
// web-tree-sitter and tree-sitter-bicep come from the repository's package.json (npm ci).
// The grammar reads an item such as names[0] on its own line of an array as two items; no
// error, but write first(names) there.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

// Namespaces of Bicep's built-in functions, as in sys.concat(...) or az.resourceGroup().
const NAMESPACES = new Set(['sys', 'az']);

await Parser.init();
const parser = new Parser();
parser.setLanguage(await Language.load(require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm')));

const files = {};
for (const path of process.argv.slice(2)) {
	files[basename(path)] = model(parser.parse(readFileSync(path, 'utf8')).rootNode);
}
process.stdout.write(JSON.stringify({ files }, null, 1) + '\n');

function model(root) {
	const file = {
		errors: [], undeclared: [], unused: [],
		targetScope: null, params: {}, vars: {}, types: {}, functions: {}, resources: {}, modules: {}, outputs: {},
	};
	collectErrors(root, file.errors);
	let decorators = {};
	for (const statement of root.namedChildren) {
		if (statement.type === 'comment' || statement.type === 'diagnostic_comment') {
			continue;
		}
		if (statement.type === 'decorators') {
			decorators = decoratorsOf(statement);
			continue;
		}
		const name = firstChild(statement, 'identifier')?.text;
		switch (statement.type) {
			case 'target_scope_assignment':
				file.targetScope = value(firstChild(statement, 'string'));
				break;
			case 'parameter_declaration': {
				const defaultValue = expressionsAfter(statement, firstChild(statement, 'type'))[0];
				file.params[name] = { type: firstChild(statement, 'type')?.text ?? null, decorators,
					default: defaultValue ? value(defaultValue) : null, line: line(statement) };
				break;
			}
			case 'variable_declaration':
				file.vars[name] = { value: value(expressionsAfter(statement, firstChild(statement, 'identifier'))[0]),
					decorators, line: line(statement) };
				break;
			case 'type_declaration':
				file.types[name] = { text: statement.text, line: line(statement) };
				break;
			case 'user_defined_function':
				file.functions[statement.childForFieldName('name').text] = { text: statement.text, line: line(statement) };
				break;
			case 'resource_declaration':
			case 'module_declaration': {
				const reference = value(firstChild(statement, 'string'));
				const declaration = { decorators, line: line(statement), ...body(statement) };
				if (statement.type === 'resource_declaration') {
					const at = reference.lastIndexOf('@');
					declaration.type = reference.substring(0, at);
					declaration.apiVersion = reference.substring(at + 1);
					declaration.existing = statement.children.some((child) => child.type === 'existing');
					file.resources[name] = declaration;
				}
				else {
					declaration.path = reference;
					file.modules[name] = declaration;
				}
				break;
			}
			case 'output_declaration':
				file.outputs[name] = { type: firstChild(statement, 'type')?.text ?? null, decorators,
					value: value(statement.namedChildren.at(-1)), line: line(statement) };
				break;
			case 'ERROR':
				break; // reported with the other syntax errors
			default:
				file.errors.push({ line: line(statement), column: statement.startPosition.column + 1,
					message: 'not a declaration this check understands: ' + statement.type });
		}
		decorators = {};
	}
	checkNames(root, file);
	return file;
}

// A resource's or module's body: its object, and the condition or loop around it.
function body(declaration) {
	const result = { condition: null, loop: null, body: null };
	let node = declaration.namedChildren.at(-1);
	if (node.type === 'for_statement') {
		result.loop = declaration.text.substring(node.startIndex - declaration.startIndex,
			node.childForFieldName('body').startIndex - declaration.startIndex);
		node = node.childForFieldName('body');
	}
	if (node.type === 'if_statement') {
		result.condition = firstChild(node, 'parenthesized_expression').namedChildren[0].text;
		node = firstChild(node, 'object');
	}
	result.body = value(node);
	return result;
}

function value(node) {
	switch (node?.type) {
		case undefined:
			return null;
		case 'string':
			return node.namedChildren.some((part) => part.type === 'interpolation') ? { $expr: node.text } : stringValue(node);
		case 'number':
			return Number(node.text);
		case 'boolean':
			return node.text === 'true';
		case 'null':
			return null;
		case 'array':
			return node.namedChildren.filter(isValue).map(value);
		case 'object': {
			const object = {};
			for (const property of node.namedChildren.filter((child) => child.type === 'object_property')) {
				const [key, ...rest] = property.namedChildren.filter(isValue);
				object[key.type === 'string' ? stringValue(key) : key.text] = value(rest.at(-1));
			}
			return object;
		}
		default:
			return { $expr: node.text };
	}
}

function stringValue(node) {
	if (node.text.startsWith("'''")) {
		return node.text.slice(3, -3).replace(/^\r?\n/, '');
	}
	// From the source text: the grammar keeps some escapes (\$) out of the syntax tree.
	return node.text.slice(1, -1).replace(/\\(u\{[0-9a-fA-F]+\}|.)/g, (sequence, escaped) => {
		const simple = { "'": "'", '\\': '\\', n: '\n', r: '\r', t: '\t', $: '$' };
		if (escaped in simple) {
			return simple[escaped];
		}
		if (escaped.startsWith('u{')) {
			return String.fromCodePoint(parseInt(escaped.slice(2, -1), 16));
		}
		throw new Error('unknown escape sequence ' + sequence);
	});
}

function decoratorsOf(node) {
	const result = {};
	for (const decorator of node.namedChildren.filter((child) => child.type === 'decorator')) {
		const call = firstChild(decorator, 'call_expression');
		const name = call.childForFieldName('function').text.replace(/^sys\./, '');
		const args = call.childForFieldName('arguments').namedChildren.filter(isValue).map(value);
		result[name] = args.length === 0 ? true : args.length === 1 ? args[0] : args;
	}
	return result;
}

// Names used but never declared (Bicep would refuse to compile them), and parameters,
// variables and resources declared but never used (Bicep's linter warns of those).
function checkNames(root, file) {
	const declared = new Set([...Object.keys(file.params), ...Object.keys(file.vars), ...Object.keys(file.types),
		...Object.keys(file.functions), ...Object.keys(file.resources), ...Object.keys(file.modules)]);
	const used = new Set();
	const visit = (node, scope) => {
		if (node.type === 'for_statement') {
			scope = new Set(scope);
			for (const variable of loopVariables(node)) {
				scope.add(variable);
			}
		}
		if (node.type === 'lambda_expression') {
			scope = new Set(scope);
			for (const parameter of node.namedChildren.slice(0, -1).flatMap((child) => identifiersIn(child))) {
				scope.add(parameter);
			}
		}
		if (node.type === 'identifier' && isReference(node)) {
			if (!scope.has(node.text)) {
				used.add(node.text);
				if (!declared.has(node.text) && !NAMESPACES.has(node.text)) {
					file.undeclared.push({ name: node.text, line: line(node) });
				}
			}
		}
		for (const child of node.namedChildren) {
			visit(child, scope);
		}
	};
	visit(root, new Set());
	for (const kind of ['params', 'vars', 'resources']) {
		for (const name of Object.keys(file[kind])) {
			if (!used.has(name) && !(kind === 'resources' && file.resources[name].existing === false)) {
				file.unused.push({ kind, name, line: file[kind][name].line });
			}
		}
	}
}

function isReference(identifier) {
	const parent = identifier.parent;
	switch (parent.type) {
		case 'parameter_declaration':
		case 'variable_declaration':
		case 'resource_declaration':
		case 'module_declaration':
		case 'output_declaration':
		case 'type_declaration':
		case 'metadata_declaration':
			// Only the declared name; a value may be a bare name (var b = a).
			return firstChild(parent, 'identifier').id !== identifier.id;
		case 'user_defined_function':
		case 'parameter':
		case 'import_statement':
		case 'import_functionality':
		case 'import_with_statement':
			return false;
		case 'object_property':
			return parent.namedChildren.filter(isValue)[0].id !== identifier.id;
		case 'call_expression':
			return parent.childForFieldName('function').id !== identifier.id;
		case 'resource_expression':
			return parent.childForFieldName('resource').id !== identifier.id;
		case 'type':
		case 'parameterized_type':
		case 'union_type':
		case 'nullable_type':
		case 'array_type':
		case 'compatible_identifier':
			return false;
		default:
			return !(parent.type === 'for_statement' && parent.childForFieldName('initializer')?.id === identifier.id);
	}
}

function loopVariables(forStatement) {
	const initializer = forStatement.childForFieldName('initializer');
	if (initializer) {
		return [initializer.text];
	}
	const parameters = firstChild(forStatement, 'for_loop_parameters');
	return parameters ? parameters.namedChildren.map((child) => child.text) : [];
}

function identifiersIn(node) {
	return node.type === 'identifier' ? [node.text] : node.namedChildren.flatMap(identifiersIn);
}

function collectErrors(node, errors) {
	if (node.isError || node.isMissing) {
		errors.push({ line: line(node), column: node.startPosition.column + 1,
			message: (node.isMissing ? 'missing ' + node.type : 'syntax error at ' + JSON.stringify(node.text.slice(0, 40))) });
		return;
	}
	if (node.hasError) {
		for (const child of node.children) {
			collectErrors(child, errors);
		}
	}
}

function expressionsAfter(node, after) {
	return node.namedChildren.filter((child) => isValue(child) && (!after || child.startIndex > after.startIndex)
		&& child.type !== 'type');
}

function isValue(node) {
	return node.type !== 'comment' && node.type !== 'diagnostic_comment' && node.type !== 'decorators';
}

function firstChild(node, type) {
	return node.namedChildren.find((child) => child.type === type) ?? null;
}

function line(node) {
	return node.startPosition.row + 1;
}
