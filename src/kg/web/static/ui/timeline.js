// The timeline without reloads for each choice: filters apply as soon as they change, and
// hovering or focusing an event shows its details in a card (the SVG <title> stays for others).
(function () {
  "use strict";
  const form = document.querySelector(".tl-filters");
  if (form) {
    form.querySelectorAll("select").forEach((select) => {
      select.addEventListener("change", () => form.submit());
    });
  }
  const card = document.createElement("div");
  card.className = "tl-card";
  card.hidden = true;
  document.body.appendChild(card);

  function show(event, x, y) {
    const lines = event.dataset.summary.split("\n");
    card.textContent = "";
    const head = document.createElement("strong");
    head.textContent = lines[0];
    card.append(head, lines.slice(1).join("\n"));
    card.hidden = false;
    const room = window.innerWidth - card.offsetWidth - 12;
    card.style.left = Math.max(8, Math.min(x + 14, room)) + "px";
    card.style.top = (y + 16 + card.offsetHeight > window.innerHeight ? y - card.offsetHeight - 8 : y + 16) + "px";
  }
  document.querySelectorAll(".tl-event").forEach((event) => {
    const title = event.querySelector("title");  // replaced by the card, so that only one shows
    event.dataset.summary = title.textContent;
    title.remove();
    event.addEventListener("mousemove", (e) => show(event, e.clientX, e.clientY));
    event.addEventListener("mouseleave", () => { card.hidden = true; });
    event.addEventListener("focus", () => {
      const box = event.querySelector(".tl-bar").getBoundingClientRect();
      show(event, box.right, box.bottom);
    });
    event.addEventListener("blur", () => { card.hidden = true; });
  });
})();
