/**
 * The source import graph, read with the TypeScript parser (no bundler): for the checks that the module graph has no
 * cycles and that the page's first load does not reach tfjs (`importGraph.test.ts`). Relative imports are
 * resolved to files (.ts, .tsx, index); bare specifiers are packages, kept as leaves by their name.
 *
 * Each edge records whether it is type-only (`import type`, erased at build: it counts for cycles, which the issue
 * calls "type cycles", but not for what the browser loads) and whether it is dynamic (`import()`, `new URL(…,
 * import.meta.url)` for a worker: a separate chunk, not part of the first load).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** An absolute file path, or a package name such as "@tensorflow/tfjs-core". */
  target: string;
  typeOnly: boolean;
  /** import(), or a worker's `new URL('./x.ts', import.meta.url)`: loaded later, in its own chunk. */
  deferred: boolean;
}

export type ImportGraph = Map<string, ImportEdge[]>;

const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

/** A relative specifier as a file on disk (query such as ?url stripped), or null if none exists. */
function resolveRelative(from: string, specifier: string): string | null {
  const bare = resolve(dirname(from), specifier.replace(/\?.*$/, ''));
  if (existsSync(bare) && statSync(bare).isFile()) return bare;
  for (const extension of EXTENSIONS) {
    if (existsSync(bare + extension)) return bare + extension;
  }
  return null;
}

/** "@scope/name/sub/path" → "@scope/name"; "name/sub" → "name". */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The imports of one source file. Only .ts/.tsx are parsed; CSS and assets are leaves. */
export function importsOf(file: string): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const edges: { specifier: string; typeOnly: boolean; deferred: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      edges.push({ specifier: node.moduleSpecifier.text, typeOnly, deferred: false });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const typeOnly =
        node.isTypeOnly ||
        (node.exportClause !== undefined &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.every((element) => element.isTypeOnly));
      edges.push({ specifier: node.moduleSpecifier.text, typeOnly, deferred: false });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length > 0 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      edges.push({ specifier: node.arguments[0].text, typeOnly: false, deferred: true });
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'URL' &&
      node.arguments?.length === 2 &&
      ts.isStringLiteral(node.arguments[0]) &&
      node.arguments[1].getText(source) === 'import.meta.url' &&
      /\.(ts|tsx)$/.test(node.arguments[0].text)
    ) {
      edges.push({ specifier: node.arguments[0].text, typeOnly: false, deferred: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const result: ImportEdge[] = [];
  for (const edge of edges) {
    if (edge.specifier.startsWith('.')) {
      const target = resolveRelative(file, edge.specifier);
      if (target === null) throw new Error(`${file}: cannot resolve "${edge.specifier}"`);
      result.push({ target, typeOnly: edge.typeOnly, deferred: edge.deferred });
    } else {
      result.push({ target: packageName(edge.specifier), typeOnly: edge.typeOnly, deferred: edge.deferred });
    }
  }
  return result;
}

const isSource = (path: string): boolean => /\.(ts|tsx)$/.test(path) && path.startsWith('/');

/** Every file reachable from the entries, with its imports. */
export function importGraph(entries: readonly string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  const pending = entries.map((entry) => resolve(entry));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const edges = isSource(file) ? importsOf(file) : [];
    graph.set(file, edges);
    for (const edge of edges)
      if (edge.target.startsWith('/') && !graph.has(edge.target)) pending.push(edge.target);
  }
  return graph;
}

/**
 * The import cycles among files (type-only imports included): one cycle per strongly connected component of more
 * than one file (or a file importing itself), as the files' paths relative to `root`, sorted.
 */
export function importCycles(graph: ImportGraph, root: string): string[][] {
  // Tarjan's algorithm, iterative-enough for a few hundred files (recursion depth = longest import chain).
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strongConnect = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const { target } of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        strongConnect(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      const selfLoop = (graph.get(file) ?? []).some((edge) => edge.target === file);
      if (component.length > 1 || selfLoop) {
        components.push(component.map((path) => relative(root, path)).sort());
      }
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) strongConnect(file);
  return components.sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * What the browser loads with the entry before anything is deferred: static, non-type imports only. Returns, for
 * each package reached, one chain of files that reaches it (for the failure message).
 */
export function firstLoadPackages(graph: ImportGraph, entry: string, root: string): Map<string, string[]> {
  const start = resolve(entry);
  const parent = new Map<string, string | null>([[start, null]]);
  const packages = new Map<string, string[]>();
  const queue = [start];
  const chain = (file: string): string[] => {
    const path: string[] = [];
    for (let at: string | null = file; at !== null; at = parent.get(at) ?? null)
      path.unshift(relative(root, at));
    return path;
  };
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const edge of graph.get(file) ?? []) {
      if (edge.typeOnly || edge.deferred) continue;
      if (!edge.target.startsWith('/')) {
        if (!packages.has(edge.target)) packages.set(edge.target, chain(file));
      } else if (!parent.has(edge.target)) {
        parent.set(edge.target, file);
        queue.push(edge.target);
      }
    }
  }
  return packages;
}
