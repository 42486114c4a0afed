// A small SPARQL editor: a textarea over a highlighted copy of its text.
// The textarea keeps everything a browser gives a text field (undo, selection, IME, find);
// the <pre> behind it only paints: colours, the error position, the bracket pair at the caret,
// and the marks from which the line-number gutter and the suggestion list take their places.
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

  const OPENS = { "(": ")", "[": "]", "{": "}" };
  const CLOSES = { ")": "(", "]": "[", "}": "{" };

  // Each bracket's partner (start offset -> start offset, or -1 when it has none), strings,
  // IRIs and comments left out since they are other tokens.
  function bracketPairs(tokens) {
    const pairs = new Map();
    const open = [];
    for (const t of tokens) {
      if (t.type !== "punct") continue;
      if (t.text in OPENS) { open.push(t); pairs.set(t.start, -1); }
      else if (t.text in CLOSES) {
        const partner = open.length && OPENS[open[open.length - 1].text] === t.text ? open.pop() : null;
        pairs.set(t.start, partner ? partner.start : -1);
        if (partner) pairs.set(partner.start, t.start);
      }
    }
    return pairs;
  }

  // The bracket beside the caret (before it first, as one just typed) and its partner.
  function bracketAt(text, caret, pairs) {
    for (const at of [caret - 1, caret]) {
      if (pairs.has(at)) return { at, partner: pairs.get(at) };
    }
    return null;
  }

  // Lines from the first to the last the selection touches, each commented out with "# ", or
  // all uncommented when each already is; blank lines are left alone.
  function toggleComments(text, start, end) {
    const from = text.lastIndexOf("\n", start - 1) + 1;
    const stop = end > start && text[end - 1] === "\n" ? end - 1 : end;
    let to = text.indexOf("\n", stop);
    if (to < 0) to = text.length;
    const lines = text.slice(from, to).split("\n");
    const filled = lines.filter((l) => l.trim());
    const commented = filled.length > 0 && filled.every((l) => /^\s*#/.test(l));
    const indent = Math.min(...filled.map((l) => l.match(/^\s*/)[0].length));
    const out = lines.map((l) => !l.trim() ? l : commented ? l.replace(/^(\s*)# ?/, "$1")
      : l.slice(0, indent) + "# " + l.slice(indent));
    return { from, to, replacement: out.join("\n") };
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

  const LINE_MARK = '<i class="qp-ln"></i>';
  const CARET_MARK = '<i class="qp-caret"></i>';

  class Editor {
    // ``completer`` (optional) answers suggest(text, caret) with {from, items} or null.
    constructor(textarea, prefixes, completer) {
      this.textarea = textarea;
      this.prefixes = prefixes;
      this.completer = completer || null;
      this.error = null;
      this.bracket = null;
      this.code = textarea.parentElement.querySelector(".qp-highlight code");
      this.gutter = textarea.closest(".qp-editor").querySelector(".qp-gutter");
      this.list = textarea.closest(".qp-editor").querySelector(".qp-complete");
      this.position = document.getElementById("qp-position");
      this.suggestion = null;  // {from, items, active} while the list is open
      this.asked = 0;  // numbers the requests for suggestions, so that a late answer is dropped
      textarea.addEventListener("input", (e) => { this.error = null; this.paint(); this.typed(e); });
      textarea.addEventListener("scroll", () => this.sync());
      ["keyup", "click", "select", "focus"].forEach((e) => textarea.addEventListener(e, () => this.where()));
      textarea.addEventListener("keydown", (e) => this.key(e));
      textarea.addEventListener("blur", () => this.close());
      document.addEventListener("selectionchange", () => {
        if (document.activeElement === textarea) this.matchBrackets();
      });
      if (this.list) {
        this.list.addEventListener("mousedown", (e) => {
          const option = e.target.closest("[role=option]");
          e.preventDefault();  // keep the focus in the editor
          if (option) this.accept(Number(option.dataset.index));
        });
      }
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

    // ``caret``: where to leave a mark the suggestion list is placed at (none when undefined).
    paint(caret) {
      const text = this.textarea.value;
      const mark = this.error === null ? -1 : this.error;
      const tokens = tokenize(text);
      this.pairs = bracketPairs(tokens);
      const bracket = this.bracket;
      let html = "";
      for (const token of tokens) {
        let inner = escape(token.text);
        if (caret > token.start && caret < token.end) {
          inner = escape(token.text.slice(0, caret - token.start)) + CARET_MARK + escape(token.text.slice(caret - token.start));
        } else if (caret === token.start) {
          html += CARET_MARK;
        }
        if (mark >= token.start && mark < token.end) {
          // Mark the whole token that holds the position (all of it but blanks).
          inner = token.type === "space"
            ? escape(token.text.slice(0, mark - token.start)) + '<mark class="qp-error-mark"> </mark>' +
              escape(token.text.slice(mark - token.start + 1))
            : '<mark class="qp-error-mark">' + inner + "</mark>";
        }
        let kind = token.type === "space" || token.type === "other" ? "" : `tok-${token.type}`;
        if (bracket && (token.start === bracket.at || token.start === bracket.partner)) {
          kind += bracket.partner < 0 ? " qp-bracket-lone" : " qp-bracket";
        }
        html += kind ? `<span class="${kind.trim()}">${inner}</span>` : inner;
      }
      if (caret >= text.length) html += CARET_MARK;
      if (mark >= text.length && mark >= 0) html += '<mark class="qp-error-mark"> </mark>';
      // A mark at the start of each line tells the gutter where that line begins on screen.
      this.code.innerHTML = LINE_MARK + html.replace(/\n/g, "\n" + LINE_MARK) + "\n";
      this.grow();
      this.number();
      this.sync();
    }

    // The gutter's numbers, each at the height its line starts (a long line wraps).
    number() {
      if (!this.gutter) return;
      const marks = this.code.querySelectorAll(".qp-ln");
      while (this.gutter.children.length > marks.length) this.gutter.lastChild.remove();
      marks.forEach((m, i) => {
        let n = this.gutter.children[i];
        if (!n) {
          n = document.createElement("span");
          n.textContent = String(i + 1);
          this.gutter.appendChild(n);
        }
        n.style.top = m.offsetTop + "px";
      });
      this.gutter.style.height = this.textarea.offsetHeight + "px";
    }

    matchBrackets() {
      const t = this.textarea;
      const found = t.selectionStart === t.selectionEnd ? bracketAt(t.value, t.selectionStart, this.pairs || new Map()) : null;
      const same = (a, b) => (a === null ? b === null : b !== null && a.at === b.at && a.partner === b.partner);
      if (!same(found, this.bracket)) {
        this.bracket = found;
        this.paint();
      }
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
      if (this.gutter) this.gutter.scrollTop = this.textarea.scrollTop;
    }

    where() {
      if (!this.position) return;
      const before = this.textarea.value.slice(0, this.textarea.selectionStart).split("\n");
      this.position.textContent = `Line ${before.length}, column ${before[before.length - 1].length + 1}`;
    }

    key(e) {
      const open = this.suggestion !== null;
      if (open && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
        e.preventDefault();
        const n = this.suggestion.items.length;
        this.choose((this.suggestion.active + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
      } else if (open && (e.key === "Enter" || e.key === "Tab") && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
        e.preventDefault();
        this.accept(this.suggestion.active);
      } else if (open && e.key === "Escape") {
        e.preventDefault();
        this.close();
      } else if (e.key === " " && e.ctrlKey) {
        e.preventDefault();
        this.suggest();
      } else if (e.key === "/" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.toggleComment();
      } else if (e.key === "Tab" && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();  // indent instead of leaving the field; Esc then Tab leaves it
        document.execCommand("insertText", false, "  ");
      } else if (e.key === "Escape") {
        this.textarea.blur();
      }
    }

    // Replace ``from..to`` with ``text`` as typing would, so that Ctrl+Z undoes it.
    replace(from, to, text) {
      this.textarea.focus();
      this.textarea.setSelectionRange(from, to);
      if (!document.execCommand("insertText", false, text)) {
        this.textarea.setRangeText(text, from, to, "end");
        this.paint();
      }
    }

    toggleComment() {
      const t = this.textarea;
      const { from, to, replacement } = toggleComments(t.value, t.selectionStart, t.selectionEnd);
      this.replace(from, to, replacement);
      t.setSelectionRange(from, from + replacement.length);
    }

    // ------------------------------------------------ suggestions

    // Open the list as a word or prefixed name is typed, and after "a " and "; ".
    typed(e) {
      if (!this.completer) return;
      const t = this.textarea;
      const before = t.value.slice(0, t.selectionStart);
      if (e.inputType === "insertText" && /(?:[\w:-]|(?:\sa|;)\s)$/.test(before)) this.suggest();
      else this.close();
    }

    async suggest() {
      if (!this.completer) return;
      const t = this.textarea;
      const asked = ++this.asked;
      const text = t.value, caret = t.selectionStart;
      const found = await this.completer.suggest(text, caret);
      if (asked !== this.asked || t.value !== text || t.selectionStart !== caret) return;  // typing went on
      if (!found) { this.close(); return; }
      this.suggestion = { ...found, active: 0 };
      this.show(caret);
    }

    show(caret) {
      const list = this.list;
      list.textContent = "";
      this.suggestion.items.forEach((item, i) => {
        const li = document.createElement("li");
        li.id = `qp-option-${i}`;
        li.setAttribute("role", "option");
        li.dataset.index = String(i);
        const code = document.createElement("code");
        code.textContent = item.value;
        li.appendChild(code);
        if (item.label) {
          const label = document.createElement("span");
          label.textContent = item.label;
          li.append(" ", label);
        }
        const note = item.note || item.comment || item.kind || "";
        if (note) {
          const small = document.createElement("small");
          small.textContent = note;
          li.appendChild(small);
          li.title = note;
        }
        list.appendChild(li);
      });
      list.hidden = false;
      this.textarea.setAttribute("aria-expanded", "true");
      this.paint(caret);  // leaves a mark at the caret to place the list under
      const at = this.code.querySelector(".qp-caret");
      const area = this.textarea.parentElement;
      const lineHeight = parseFloat(getComputedStyle(this.textarea).lineHeight) || 21;
      const wanted = at.offsetLeft - this.textarea.scrollLeft + area.offsetLeft;
      list.style.left = Math.max(0, Math.min(wanted, list.parentElement.clientWidth - list.offsetWidth)) + "px";
      list.style.top = at.offsetTop - this.textarea.scrollTop + lineHeight + area.offsetTop + "px";
      this.choose(0);
    }

    choose(i) {
      this.suggestion.active = i;
      [...this.list.children].forEach((li, n) => li.setAttribute("aria-selected", String(n === i)));
      const li = this.list.children[i];
      this.textarea.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView({ block: "nearest" });
    }

    accept(i) {
      const { from, items } = this.suggestion;
      const caret = this.textarea.selectionStart;
      this.close();
      this.replace(from, caret, items[i].value);
    }

    close() {
      if (!this.list || this.suggestion === null) return;
      this.suggestion = null;
      this.asked++;
      this.list.hidden = true;
      this.textarea.setAttribute("aria-expanded", "false");
      this.textarea.removeAttribute("aria-activedescendant");
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

  window.SparqlEditor = { Editor, tokenize, offsetOf, prefixUse, bracketPairs, toggleComments, KEYWORDS };
})();
