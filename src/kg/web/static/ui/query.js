// The query page: runs the editor's query against the endpoint, shows results with labels,
// errors with their position, download links, and keeps short queries in the address.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("qp-config").textContent);
  const form = document.getElementById("qp-form");
  const editor = new window.SparqlEditor.Editor(form.querySelector("textarea"), config.prefixes);
  const status = document.getElementById("qp-status");
  const problem = document.getElementById("qp-error");
  const downloads = document.getElementById("qp-downloads");
  const results = document.getElementById("qp-results");
  const runButton = form.querySelector("button[type=submit]");
  const PAGE = 500;  // rows drawn at a time
  const MAX_LABELLED = 1000;  // IRIs whose labels one extra query asks for
  const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, " +
    "application/problem+json;q=0.8, text/turtle;q=0.5, text/plain;q=0.1";
  const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  let running = null;

  // ------------------------------------------------------------ talking to the endpoint

  function getUrl(text, extra) {
    return config.endpoint + "?" + new URLSearchParams({ query: text, ...extra }).toString();
  }

  // GET while the address stays short (cacheable, and what the protocol prefers); POST beyond,
  // so that no query ever meets a 414.
  function send(text, accept, signal) {
    const url = getUrl(text);
    if (url.length <= config.maxGet) return fetch(url, { headers: { Accept: accept }, signal });
    return fetch(config.endpoint, {
      method: "POST", signal,
      headers: { Accept: accept, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query: text }),
    });
  }

  async function readProblem(response) {
    const type = response.headers.get("Content-Type") || "";
    const body = await response.text();
    let found = { title: `${response.status} ${response.statusText}`.trim(), detail: body.trim() };
    if (type.includes("json")) {
      try { found = { ...found, ...JSON.parse(body) }; } catch (e) { /* keep the text */ }
    }
    // Position: members of the problem, else "line:column" in the parser's message.
    let line = Number(found.line), column = Number(found.column);
    if (!line) {
      const at = /(?:error )?at (\d+):(\d+)/.exec(found.detail || "");
      if (at) { line = Number(at[1]); column = Number(at[2]); }
    }
    return { title: found.title, detail: found.detail || "", status: response.status, line, column };
  }

  // ------------------------------------------------------------ terms and tables

  function localHref(iri) {
    if (!iri.startsWith(config.base)) return iri;
    return config.root + iri.slice(config.base.length);
  }

  function linkable(iri) {  // only pages of this site and http(s): never javascript: or data:
    return iri.startsWith(config.base) || /^https?:/i.test(iri);
  }

  function compact(iri) {
    let best = null;
    for (const [prefix, ns] of Object.entries(config.prefixes)) {
      if (iri.startsWith(ns) && (!best || ns.length > config.prefixes[best].length)) {
        const local = iri.slice(ns.length);
        if (local && !/[/#]/.test(local)) best = prefix;
      }
    }
    return best === null ? `<${iri}>` : `${best}:${iri.slice(config.prefixes[best].length)}`;
  }

  function termCell(term, labels) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri" && !linkable(term.value)) {
      const code = document.createElement("code");  // javascript:, data: and the like: text, never a link
      code.className = "qp-iri";
      code.textContent = compact(term.value);
      td.appendChild(code);
    } else if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = localHref(term.value);
      a.className = "qp-iri";
      a.title = term.value;
      const label = labels.get(term.value);
      a.textContent = label || compact(term.value);
      td.appendChild(a);
      if (label) {
        const code = document.createElement("code");
        code.textContent = compact(term.value);
        td.append(" ", code);
      }
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
      td.className = "qp-bnode";
    } else {
      const span = document.createElement("span");
      span.className = "qp-literal";
      span.textContent = term.value;
      td.appendChild(span);
      const note = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? compact(term.datatype) : "";
      if (note && !/xsd:(string|integer)$/.test(note)) {
        const small = document.createElement("small");
        small.textContent = note;
        td.append(" ", small);
      }
    }
    return td;
  }

  function table(columns, rows, labels, headings) {
    const wrap = document.createElement("div");
    wrap.className = "qp-table-wrap";
    const t = document.createElement("table");
    t.className = "qp-table";
    const head = t.createTHead().insertRow();
    for (const name of ["#", ...(headings || columns.map((c) => "?" + c))]) {
      const th = document.createElement("th");
      th.textContent = name;
      head.appendChild(th);
    }
    const body = t.createTBody();
    let shown = 0;
    const more = document.createElement("button");
    more.type = "button";
    more.className = "qp-more";
    function draw() {
      const end = Math.min(rows.length, shown + PAGE);
      for (; shown < end; shown++) {
        const tr = body.insertRow();
        const n = document.createElement("td");
        n.className = "qp-n";
        n.textContent = shown + 1;
        tr.appendChild(n);
        for (const name of columns) tr.appendChild(termCell(rows[shown][name], labels));
      }
      more.hidden = shown >= rows.length;
      more.textContent = `Show ${Math.min(PAGE, rows.length - shown)} more of ${rows.length - shown}`;
    }
    more.addEventListener("click", draw);
    draw();
    wrap.append(t, more);
    return wrap;
  }

  // N-Triples, one triple per line, into SPARQL-JSON-like terms.
  const NT_TERM = /\s*(<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]*)>)?)/y;
  function unescapeNt(s) {
    return s.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))/g, (m, u, U, c) =>
      u || U ? String.fromCodePoint(parseInt(u || U, 16)) : ({ t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" }[c] || c));
  }
  function parseNTriples(text) {
    const triples = [];
    for (const line of text.split("\n")) {
      if (!line.trim() || line.trim().startsWith("#")) continue;
      const terms = [];
      NT_TERM.lastIndex = 0;
      for (let i = 0; i < 3; i++) {
        const m = NT_TERM.exec(line);
        if (!m) break;
        if (m[2] !== undefined) terms.push({ type: "uri", value: unescapeNt(m[2]) });
        else if (m[3] !== undefined) terms.push({ type: "bnode", value: m[3] });
        else terms.push({ type: "literal", value: unescapeNt(m[4]), "xml:lang": m[5], datatype: m[6] });
      }
      if (terms.length === 3) triples.push({ subject: terms[0], predicate: terms[1], object: terms[2] });
    }
    return triples;
  }

  async function fetchLabels(rows, signal) {
    const iris = new Set();
    for (const row of rows) {
      for (const term of Object.values(row)) {
        if (term && term.type === "uri" && iris.size < MAX_LABELLED) iris.add(term.value);
      }
    }
    const labels = new Map();
    if (!iris.size) return labels;
    const values = [...iris].map((i) => `<${i}>`).join(" ");
    const query = `SELECT ?iri ?label WHERE { VALUES ?iri { ${values} } ?iri <${RDFS_LABEL}> ?label }`;
    try {
      const response = await send(query, "application/sparql-results+json", signal);
      if (!response.ok) return labels;
      for (const b of (await response.json()).results.bindings) {
        if (!labels.has(b.iri.value)) labels.set(b.iri.value, b.label.value);
      }
    } catch (e) {
      if (e.name === "AbortError") throw e;  // labels are a nicety: without them, IRIs show
    }
    return labels;
  }

  // ------------------------------------------------------------ showing outcomes

  class BrokenOff extends Error {}

  // The body as far as it came: the endpoint breaks off a result it cut, after marking the cut.
  async function readBody(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let body = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return { body: body + decoder.decode(), broken: false };
        body += decoder.decode(value, { stream: true });
      }
    } catch (e) {
      if (e.name === "AbortError") throw e;
      return { body: body + decoder.decode(), broken: true };
    }
  }

  // The endpoint marks a result it cut at its row limit: a "truncated" member in SPARQL JSON,
  // a last comment line in N-Triples and Turtle.
  function cutNote(type, body) {
    const tail = body.slice(-1000);
    if (type.includes("json")) {
      const member = /"truncated"\s*:\s*("(?:[^"\\]|\\.)*")\s*\}\s*$/.exec(tail);
      return member ? JSON.parse(member[1]) : "";
    }
    const comment = /\n# (truncated[^\n]*)\s*$/.exec(tail);
    return comment ? comment[1] : "";
  }

  function say(text) { status.textContent = text; }

  function showProblem(p) {
    problem.hidden = false;
    problem.textContent = "";
    const h = document.createElement("h2");
    h.textContent = p.title || "The query failed";
    problem.appendChild(h);
    if (p.line) {
      const where = document.createElement("button");
      where.type = "button";
      where.className = "qp-where";
      where.textContent = `Line ${p.line}, column ${p.column}: show in the query`;
      where.addEventListener("click", () => editor.showError());
      problem.appendChild(where);
      editor.markError(p.line, p.column);
    }
    const pre = document.createElement("pre");
    pre.textContent = p.detail;
    problem.appendChild(pre);
  }

  function showDownloads(kind, text) {
    downloads.textContent = "";
    const formats = config.formats[kind === "graph" ? "graph" : "results"];
    downloads.append("Download: ");
    formats.forEach(([name, title, media], i) => {
      const a = document.createElement("a");
      a.textContent = title;
      a.dataset.format = name;
      a.download = `query-result.${name}`;
      const url = getUrl(text, { format: name });
      if (url.length <= config.maxGet) {
        a.href = url;
      } else {  // too long for an address: fetch by POST and save what comes back
        a.href = "#";
        a.addEventListener("click", async (e) => {
          e.preventDefault();
          const response = await send(text, media);
          const blob = await response.blob();
          const link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = a.download;
          link.click();
          URL.revokeObjectURL(link.href);
        });
      }
      downloads.append(i ? " · " : "", a);
    });
  }

  function remember(text) {
    const url = location.pathname + "?" + new URLSearchParams({ query: text }).toString();
    const share = document.getElementById("qp-share");
    if (url.length <= config.maxGet) {
      history.replaceState(null, "", url);
      share.hidden = true;
    } else {  // an address this long would fail somewhere: keep none rather than a stale one
      history.replaceState(null, "", location.pathname);
      share.hidden = false;
    }
  }

  async function run() {
    if (running) running.abort();
    const controller = new AbortController();
    running = controller;
    const added = editor.addMissingPrefixes();
    const text = editor.value;
    editor.clearError();
    problem.hidden = true;
    downloads.textContent = "";
    results.setAttribute("aria-busy", "true");
    runButton.disabled = true;
    say("Running…");
    remember(text);
    const started = performance.now();
    try {
      const response = await send(text, ACCEPT, controller.signal);
      if (!response.ok) {
        results.textContent = "";
        say(`Failed after ${Math.round(performance.now() - started)} ms.`);
        showProblem(await readProblem(response));
        return;
      }
      const type = response.headers.get("Content-Type") || "";
      const { body, broken } = await readBody(response);
      const ms = Math.round(performance.now() - started);
      const cut = cutNote(type, body);
      if (broken && !cut) throw new BrokenOff();
      const note = (added.length ? ` Declared ${added.map((p) => p + ":").join(" ")} for you.` : "") +
        (cut ? ` Not the whole result: ${cut}.` : "");
      let view, count;
      if (type.includes("sparql-results+json")) {
        const data = JSON.parse(body);
        if ("boolean" in data) {
          view = document.createElement("p");
          view.className = "qp-boolean";
          view.textContent = data.boolean ? "true" : "false";
          say(`ASK answered in ${ms} ms.${note}`);
          showDownloads("results", text);
        } else {
          const rows = data.results.bindings;
          const labels = await fetchLabels(rows, controller.signal);
          view = table(data.head.vars, rows, labels);
          count = rows.length;
          say(`${count} row${count === 1 ? "" : "s"} in ${ms} ms.${note}`);
          showDownloads("results", text);
        }
      } else if (type.includes("n-triples") || type.startsWith("text/plain")) {
        const rows = parseNTriples(body);
        const columns = ["subject", "predicate", "object"];
        const labels = await fetchLabels(rows, controller.signal);
        view = table(columns, rows, labels, columns);
        count = rows.length;
        say(`${count} triple${count === 1 ? "" : "s"} in ${ms} ms.${note}`);
        showDownloads("graph", text);
      } else {  // a format the page does not draw: show it as it came
        view = document.createElement("pre");
        view.className = "qp-raw";
        view.textContent = body;
        say(`Answered in ${ms} ms (${type.split(";")[0]}).${note}`);
        showDownloads(/turtle|rdf|ld\+json|n-quads|trig/.test(type) ? "graph" : "results", text);
      }
      results.textContent = "";
      results.appendChild(view);
      results.dataset.count = count === undefined ? "" : String(count);
    } catch (e) {
      if (e.name === "AbortError") return;
      say("");
      results.textContent = "";
      showProblem(e instanceof BrokenOff
        ? { title: "The result broke off before its end", detail: "The endpoint stops results longer than " +
            "its row limit and queries that outrun its time limit. Add a LIMIT, or page with LIMIT and OFFSET." }
        : { title: "The endpoint could not be reached", detail: String(e) });
    } finally {
      if (running === controller) {
        running = null;
        runButton.disabled = false;
        results.removeAttribute("aria-busy");
        results.dataset.runs = String(Number(results.dataset.runs || 0) + 1);  // for scripts and tests
      }
    }
  }

  // ------------------------------------------------------------ wiring

  form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
  editor.textarea.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
  });

  const examples = document.querySelectorAll(".qp-example");
  examples.forEach((link) => link.addEventListener("click", (e) => {
    e.preventDefault();
    examples.forEach((other) => other.removeAttribute("aria-current"));
    link.setAttribute("aria-current", "true");
    editor.value = new URL(link.href).searchParams.get("query");
    run();
  }));
  const filter = document.getElementById("qp-example-filter");
  if (filter) {
    filter.hidden = false;
    filter.addEventListener("input", () => {
      const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      examples.forEach((link) => {
        const text = link.textContent.toLowerCase() + " " + (link.dataset.tags || "");
        link.parentElement.hidden = !words.every((w) => text.includes(w));
      });
    });
  }
  document.querySelectorAll(".qp-prefix").forEach((button) => button.addEventListener("click", () => {
    const p = button.dataset.prefix;
    if (!prefixDeclared(p)) {
      editor.value = `PREFIX ${p}: <${config.prefixes[p]}>\n` + editor.value;
    }
    editor.textarea.focus();
  }));
  function prefixDeclared(p) { return window.SparqlEditor.prefixUse(editor.value).declared.has(p); }

  if (config.autorun) run();
})();
