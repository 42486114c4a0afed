// Suggestions for the SPARQL editor: where the caret stands in a triple pattern decides what is
// offered (classes after `a`, the properties a subject's class uses, the resources a property
// points to), and /sparql/complete supplies what the graph holds.
(function () {
  "use strict";

  const { tokenize, KEYWORDS } = window.SparqlEditor;
  const TYPE = new Set(["a", "rdf:type", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"]);
  const TERM = new Set(["variable", "pname", "iri", "string", "number", "langtag"]);
  const SHOWN = 60;  // suggestions listed at once
  const KEPT = 200;  // answers kept before the cache starts afresh

  const significant = (tokens) => tokens.filter((t) => t.type !== "space" && t.type !== "comment");

  // Walk one statement (tokens after the last `{`, `}` or `.`): subject, predicate-object lists
  // joined by `;` and `,`. Returns where the next token goes and the terms seen.
  function walk(tokens) {
    let at = "subject", subject = null, predicate = null;
    for (const t of tokens) {
      const word = t.text;
      if (t.type === "keyword" && word !== "a" && !/^(true|false)$/i.test(word)) return { at: "keyword" };
      if (word === ";") { at = "predicate"; continue; }
      if (word === ",") { at = "object"; continue; }
      if (!TERM.has(t.type) && word !== "a" && !/^(true|false)$/i.test(word)) return { at: "other" };
      if (at === "subject") { subject = word; at = "predicate"; }
      else if (at === "predicate") { predicate = word; at = "object"; }
      else if (at === "object") at = "after";
      else return { at: "other" };
    }
    return { at, subject, predicate };
  }

  function statements(tokens) {
    const out = [[]];
    for (const t of tokens) {
      if (t.type === "punct" && /^[{}.]$/.test(t.text)) out.push([]);
      else out[out.length - 1].push(t);
    }
    return out;
  }

  // The class a query gives a subject: `S a C` anywhere in it.
  function classOf(text, subject) {
    for (const statement of statements(significant(tokenize(text)))) {
      if (!statement.length || statement[0].text !== subject) continue;
      for (let i = 1; i + 1 < statement.length; i++) {
        const previous = statement[i - 1].text;
        if (TYPE.has(statement[i].text) && (i === 1 || previous === ";") && TERM.has(statement[i + 1].type)) {
          return statement[i + 1].text;
        }
      }
    }
    return null;
  }

  // Where the caret is: the word being typed (from..caret) and its place in a triple pattern.
  function context(text, caret) {
    const tokens = tokenize(text.slice(0, caret));
    let from = caret, fragment = "";
    const last = tokens[tokens.length - 1];
    if (last && last.end === caret && last.type !== "space" && last.type !== "punct") {
      const word = (last.type === "keyword" || last.type === "other") && /^[\w-]+$/.test(last.text);
      if (last.type !== "pname" && !word) return null;  // inside a variable, string, IRI or comment
      fragment = last.text;
      from = last.start;
      tokens.pop();
    }
    const all = statements(significant(tokens));
    return { from, fragment, ...walk(all[all.length - 1]) };
  }

  function declared(text) {
    const found = {};
    for (const m of text.matchAll(/PREFIX\s+([\w.-]*):\s*<([^>]*)>/gi)) found[m[1]] = m[2];
    return found;
  }

  function startsWith(text, start) { return text.toLowerCase().startsWith(start.toLowerCase()); }

  class Completer {
    constructor(url, prefixes) {
      this.url = url;
      this.prefixes = prefixes;
      this.cache = new Map();
    }

    get(params) {
      const key = new URLSearchParams(params).toString();
      if (!this.cache.has(key)) {
        if (this.cache.size > KEPT) this.cache.clear();
        this.cache.set(key, fetch(this.url + "?" + key)
          .then((r) => (r.ok ? r.json() : { items: [] })).then((d) => d.items).catch(() => []));
      }
      return this.cache.get(key);
    }

    // A term as the endpoint reads it: prefixes the query declares itself are spelt out.
    resolve(term, text) {
      const colon = term.indexOf(":");
      if (term.startsWith("<") || colon < 0) return term;
      const own = declared(text)[term.slice(0, colon)];
      return own ? `<${own}${term.slice(colon + 1)}>` : term;
    }

    async vocabulary(kind, fragment) {
      let terms = (await this.get({ what: "vocabulary" })).filter((t) => !kind || t.kind === kind);
      if (kind === "class") {
        terms.sort((x, y) => y.uses - x.uses || x.value.localeCompare(y.value));
        terms = terms.map((t) => ({ ...t, note: `${t.uses} in the data${t.comment ? " · " + t.comment : ""}` }));
      }
      if (!fragment) return terms;
      const local = (t) => t.value.slice(t.value.indexOf(":") + 1);
      return terms.filter((t) => startsWith(t.value, fragment) ||
        (!fragment.includes(":") && (startsWith(local(t), fragment) || startsWith(t.label, fragment))));
    }

    // {from, items: [{value, label, note}]}, or null when nothing fits where the caret is.
    async suggest(text, caret) {
      const where = context(text, caret);
      if (!where) return null;
      const { fragment, at } = where;
      let items;
      if (at === "object" && TYPE.has(where.predicate)) {
        items = await this.vocabulary("class", fragment);
      } else if (at === "object") {
        items = await this.get({ what: "resources", q: fragment, property: this.resolve(where.predicate, text) });
      } else if (at === "predicate") {
        const cls = classOf(text, where.subject);
        const used = cls ? await this.get({ what: "properties", class: this.resolve(cls, text) }) : [];
        const seen = new Set(used.map((p) => p.value));
        const rest = (await this.vocabulary("property", fragment)).filter((p) => !seen.has(p.value));
        items = used.filter((p) => !fragment || startsWith(p.value, fragment) || startsWith(p.label, fragment) ||
          startsWith(p.value.slice(p.value.indexOf(":") + 1), fragment))
          .map((p) => ({ ...p, note: `used by ${p.uses} ${cls}` })).concat(rest);
        if (!fragment || startsWith("a", fragment)) items.unshift({ value: "a", label: "rdf:type" });
      } else if (fragment.includes(":")) {
        const prefix = fragment.slice(0, fragment.indexOf(":"));
        const vocabulary = await this.vocabulary("", fragment);
        items = vocabulary.length ? vocabulary : await this.get({ what: "resources", q: this.resolve(fragment, text) });
        if (!(prefix in this.prefixes) && !(prefix in declared(text))) items = [];
      } else if (fragment) {
        items = Object.keys(this.prefixes).filter((p) => startsWith(p, fragment))
          .map((p) => ({ value: p + ":", label: this.prefixes[p] }))
          .concat([...KEYWORDS].filter((k) => k.length > 1 && startsWith(k, fragment)).map((k) => ({ value: k, label: "keyword" })));
      } else {
        return null;
      }
      items = items.filter((i) => i.value !== fragment).slice(0, SHOWN);
      return items.length ? { from: where.from, items } : null;
    }
  }

  window.SparqlCompleter = { Completer, context, classOf };
})();
