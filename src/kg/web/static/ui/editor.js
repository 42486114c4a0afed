// A small SPARQL editor: a textarea over a highlighted copy of its text.
// The textarea keeps everything a browser gives a text field (undo, selection, IME, find);
// the <pre> behind it only paints colours and marks an error position.
(function () {
  "use strict";

  const KEYWORDS = new Set((
    "BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED GRAPH OPTIONAL UNION MINUS FILTER BIND " +
    "VALUES SERVICE SILENT DISTINCT REDUCED AS ORDER BY ASC DESC LIMIT OFFSET GROUP HAVING EXISTS NOT IN " +
    "UNDEF a true false COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE " +
    "BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS " +
    "STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID " +
    "STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT sameTerm isIRI isURI isBLANK " +
    "isLITERAL isNUMERIC REGEX SUBSTR REPLACE LATERAL"
  ).split(" ").map((k) => k.toUpperCase()));

  // Token patterns, tried in order at each position; the first that matches wins.
  const PATTERNS = [
    ["comment", /#[^\n]*/y],
    ["string", /"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?/y],
    ["iri", /<[^<>"{}|^`\\\s]*>/y],
    ["variable", /[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+/y],
    ["langtag", /@[A-Za-z]+(?:-[A-Za-z0-9]+)*/y],
    ["pname", /(?:[A-Za-z\u00C0-\uFFFF][\w\u00B7\u00C0-\uFFFF.-]*)?:(?:[\w\u00B7\u00C0-\uFFFF:%-]|\.(?=[\w\u00C0-\uFFFF:%-]))*/y],
    ["number", /[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/y],
    ["word", /[A-Za-z_][A-Za-z0-9_]*/y],
    ["space", /\s+/y],
    ["punct", /\^\^|&&|\|\||!=|<=|>=|[{}()[\].,;*=<>!+\-/|^]/y],
    ["other", /[\s\S]/y],
  ];

  function tokenize(text) {
    const tokens = [];
    let at = 0;
    while (at < text.length) {
      for (const [type, pattern] of PATTERNS) {
        pattern.lastIndex = at;
        const match = pattern.exec(text);
        if (match && match[0].length) {
          let kind = type;
          if (type === "word") kind = KEYWORDS.has(match[0].toUpperCase()) ? "keyword" : "other";
          tokens.push({ type: kind, text: match[0], start: at, end: at + match[0].length });
          at += match[0].length;
          break;
        }
      }
    }
    return tokens;
  }

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // The character offset of a parser position. Parsers count columns differently (the one
  // behind the endpoint reports the column after the offending character), so take the
  // character at the column, or the one before it when that is blank or past the line's end.
  function offsetOf(text, line, column) {
    const lines = text.split("\n");
    if (line > lines.length) return text.length;
    let start = 0;
    for (let i = 0; i < line - 1; i++) start += lines[i].length + 1;
    const row = lines[line - 1];
    let index = Math.max(0, column - 1);
    if (index >= row.length || /\s/.test(row[index])) index = Math.max(0, Math.min(column - 2, row.length - 1));
    return start + index;
  }

  // Prefixes a query uses (outside comments, strings and IRIs) and those it declares.
  function prefixUse(text) {
    const used = new Set();
    const declared = new Set();
    const tokens = tokenize(text).filter((t) => t.type !== "space" && t.type !== "comment");
    tokens.forEach((t, i) => {
      if (t.type !== "pname") return;
      const name = t.text.slice(0, t.text.indexOf(":"));
      const previous = tokens[i - 1];
      if (previous && previous.type === "keyword" && previous.text.toUpperCase() === "PREFIX") declared.add(name);
      else used.add(name);
    });
    return { used, declared };
  }

  class Editor {
    constructor(textarea, prefixes) {
      this.textarea = textarea;
      this.prefixes = prefixes;
      this.error = null;
      this.code = textarea.parentElement.querySelector(".qp-highlight code");
      this.position = document.getElementById("qp-position");
      textarea.addEventListener("input", () => { this.error = null; this.paint(); });
      textarea.addEventListener("scroll", () => this.sync());
      ["keyup", "click", "select", "focus"].forEach((e) => textarea.addEventListener(e, () => this.where()));
      textarea.addEventListener("keydown", (e) => this.key(e));
      window.addEventListener("resize", () => this.paint());
      this.paint();
    }

    get value() { return this.textarea.value; }

    set value(text) {
      this.textarea.value = text;
      this.error = null;
      this.paint();
      this.where();
    }

    paint() {
      const text = this.textarea.value;
      const mark = this.error === null ? -1 : this.error;
      let html = "";
      for (const token of tokenize(text)) {
        let inner = escape(token.text);
        if (mark >= token.start && mark < token.end) {
          // Mark the whole token that holds the position (all of it but blanks).
          inner = token.type === "space"
            ? escape(token.text.slice(0, mark - token.start)) + '<mark class="qp-error-mark"> </mark>' +
              escape(token.text.slice(mark - token.start + 1))
            : '<mark class="qp-error-mark">' + inner + "</mark>";
        }
        html += token.type === "space" || token.type === "other" ? inner : `<span class="tok-${token.type}">${inner}</span>`;
      }
      if (mark >= text.length && mark >= 0) html += '<mark class="qp-error-mark"> </mark>';
      this.code.innerHTML = html + "\n";
      this.grow();
      this.sync();
    }

    grow() {
      const t = this.textarea;
      t.style.height = "auto";
      t.style.height = Math.max(t.scrollHeight + 2, 160) + "px";
    }

    sync() {
      const pre = this.code.parentElement;
      pre.scrollTop = this.textarea.scrollTop;
      pre.scrollLeft = this.textarea.scrollLeft;
    }

    where() {
      if (!this.position) return;
      const before = this.textarea.value.slice(0, this.textarea.selectionStart).split("\n");
      this.position.textContent = `Line ${before.length}, column ${before[before.length - 1].length + 1}`;
    }

    key(e) {
      if (e.key === "Tab" && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();  // indent instead of leaving the field; Esc then Tab leaves it
        document.execCommand("insertText", false, "  ");
      } else if (e.key === "Escape") {
        this.textarea.blur();
      }
    }

    markError(line, column) {
      this.error = offsetOf(this.textarea.value, line, column);
      this.paint();
    }

    showError() {
      if (this.error === null) return;
      this.textarea.focus();
      this.textarea.setSelectionRange(this.error, this.error + 1);
      this.where();
    }

    clearError() {
      if (this.error !== null) { this.error = null; this.paint(); }
    }

    // Declare the known prefixes the query uses but does not declare; returns their names.
    addMissingPrefixes() {
      const { used, declared } = prefixUse(this.textarea.value);
      const missing = [...used].filter((p) => !declared.has(p) && p in this.prefixes).sort();
      if (!missing.length) return missing;
      const lines = missing.map((p) => `PREFIX ${p}: <${this.prefixes[p]}>\n`).join("");
      const text = this.textarea.value;
      const head = text.match(/^(?:[ \t]*#[^\n]*\n)*/)[0];  // keep a leading comment block on top
      this.value = head + lines + text.slice(head.length);
      return missing;
    }
  }

  window.SparqlEditor = { Editor, tokenize, offsetOf, prefixUse };
})();
