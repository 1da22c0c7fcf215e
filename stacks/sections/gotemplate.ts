/**
 * A parse check of Go text/template source as Alertmanager loads its template files: actions closed,
 * control blocks balanced ({{ if }} ... {{ end }}), `define` at the top level with a quoted name, and
 * only functions Alertmanager knows. Alertmanager refuses the whole config when a template file does
 * not parse, so this runs at the door; it checks structure, not what the template does at run time.
 */

/** Go's text/template built-ins and Alertmanager's template/template.go DefaultFuncs. */
const FUNCTIONS = new Set([
  ...["and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println"],
  ...["urlquery", "eq", "ge", "gt", "le", "lt", "ne"],
  ...["toUpper", "toLower", "title", "trimSpace", "join", "match", "safeHtml", "safeUrl", "urlUnescape"],
  ...["reReplaceAll", "stringSlice", "date", "tz", "since", "humanizeDuration", "toJson"],
]);
const OPENERS = new Set(["if", "range", "with", "block", "define"]);
const KEYWORDS = new Set([
  ...OPENERS,
  "else",
  "end",
  "template",
  "break",
  "continue",
  "nil",
  "true",
  "false",
]);

/** The index just past a quoted literal starting at `i` (", ` or '), or -1 when it is not closed. */
function skipQuoted(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (quote !== "`" && text[j] === "\\") j++;
    else if (text[j] === quote) return j + 1;
    else if (quote !== "`" && text[j] === "\n") return -1;
  }
  return -1;
}

/** The words of an action that name something: identifiers outside literals, fields and variables. */
function tokens(action: string): string[] | string {
  const out: string[] = [];
  let depth = 0;
  for (let i = 0; i < action.length;) {
    const c = action[i];
    if (c === '"' || c === "`" || c === "'") {
      const end = skipQuoted(action, i);
      if (end < 0) return "has an unterminated quoted string";
      out.push(action.slice(i, end));
      i = end;
    } else if (c === "(" || c === ")") {
      depth += c === "(" ? 1 : -1;
      if (depth < 0) return "has an unexpected )";
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(action.slice(i))![0];
      const prev = i > 0 ? action[i - 1] : "";
      // A word after "." or "$" is a field or a variable, not a function.
      if (prev !== "." && prev !== "$" && !/[A-Za-z0-9_]/.test(prev)) out.push(word);
      i += word.length;
    } else if (/[^\sA-Za-z0-9_.$()|:=,+-]/.test(c)) return `has an unexpected "${c}"`;
    else i++;
  }
  return depth === 0 ? out : "has an unclosed (";
}

/** The first problem Go's template parser would report for `text`, or undefined when it parses. */
export function goTemplateProblem(text: string): string | undefined {
  const open: string[] = [];
  let i = 0;
  for (;;) {
    const start = text.indexOf("{{", i);
    if (start < 0) break;
    let j = start + 2;
    if (/^-\s/.test(text.slice(j, j + 2))) j += 2;
    // A comment starts right after the delimiter and ends right before the closing one.
    if (text.startsWith("/*", j)) {
      const close = text.indexOf("*/", j + 2);
      const after = close < 0 ? null : /^(\s-)?\}\}/.exec(text.slice(close + 2));
      if (!after) return "has a comment that is not closed with */}}";
      i = close + 2 + after[0].length;
      continue;
    }
    // Find the closing }} outside quoted literals.
    let close = -1;
    for (let k = j; k < text.length; k++) {
      const c = text[k];
      if (c === '"' || c === "`" || c === "'") {
        const end = skipQuoted(text, k);
        if (end < 0) return `has an unterminated quoted string in {{${text.slice(j, k + 20)}`;
        k = end - 1;
      } else if (text.startsWith("}}", k)) {
        close = k;
        break;
      }
    }
    if (close < 0) return `has an action that is not closed: ${text.slice(start, start + 30)}`;
    const body = text.slice(j, close).replace(/\s-$/, "").trim();
    i = close + 2;
    const words = tokens(body);
    if (typeof words === "string") return `{{${body}}} ${words}`;
    if (body === "") return "has an empty action {{}}";
    const [first, second] = words;
    if (first === "end") {
      if (!open.pop())
        return "has an {{ end }} without a matching {{ if }}, {{ range }}, {{ with }} or {{ define }}";
      if (words.length > 1) return "has arguments after {{ end }}";
      continue;
    }
    if (first === "else") {
      const top = open[open.length - 1];
      if (top !== "if" && top !== "range" && top !== "with")
        return "has an {{ else }} outside {{ if }}, {{ range }} or {{ with }}";
    }
    if ((first === "break" || first === "continue") && !open.includes("range"))
      return `has {{ ${first} }} outside {{ range }}`;
    if (first === "define" && open.length > 0) return "has a {{ define }} inside another block";
    if ((first === "define" || first === "template" || first === "block") && !/^["`]/.test(second ?? ""))
      return `has {{ ${first} }} without a quoted template name`;
    if (first !== undefined && OPENERS.has(first)) open.push(first);
    for (const w of words) {
      if (/^["`']/.test(w) || KEYWORDS.has(w) || FUNCTIONS.has(w)) continue;
      return `calls function "${w}", which Alertmanager's templates do not define`;
    }
  }
  if (open.length > 0) return `has a {{ ${open[open.length - 1]} }} without its {{ end }}`;
  return undefined;
}
