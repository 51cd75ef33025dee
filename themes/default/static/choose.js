// Optional enhancement of "Show only what I use" on the front page; without it,
// the same choice is a list of links to each audience's and component's page.
// The reader picks an audience or components; the choice stays in this browser
// (localStorage, never sent anywhere), and their status is shown first.
(function () {
  "use strict";
  var box = document.getElementById("choose");
  var front = document.querySelector(".front");
  if (!box || !front || !window.localStorage) return;
  var KEY = "candor-mine";
  var say = function (name) { return box.getAttribute("data-" + name) || ""; };
  var form = document.createElement("form");
  var note = document.createElement("p");
  note.setAttribute("role", "status");
  note.className = "meta";
  var groups = box.querySelectorAll(".choose-group");
  for (var g = 0; g < groups.length; g++) {
    var group = groups[g], audience = group.getAttribute("data-kind") === "audience";
    var heading = group.querySelector("h2");
    var set = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = heading.textContent;
    set.appendChild(legend);
    var items = group.querySelectorAll("li");
    for (var i = 0; i < items.length; i++) {
      var li = items[i], link = li.querySelector("a");
      var input = document.createElement("input");
      input.type = audience ? "radio" : "checkbox";
      input.name = audience ? "audience" : "component";
      input.value = li.getAttribute("data-id");
      input.id = "choose-" + input.name + "-" + input.value;
      input.setAttribute("data-components", li.getAttribute("data-components"));
      var label = document.createElement("label");
      label.htmlFor = input.id;
      label.textContent = link.textContent;
      var row = document.createElement("p");
      row.className = "choice";
      row.appendChild(input);
      row.appendChild(label);
      set.appendChild(row);
    }
    form.appendChild(set);
    group.hidden = true;
  }
  var save = document.createElement("button");
  save.type = "submit";
  save.textContent = say("save");
  var clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = say("clear");
  form.appendChild(save);
  form.appendChild(document.createTextNode(" "));
  form.appendChild(clear);
  form.appendChild(note);
  box.querySelector(".choose-lists").appendChild(form);

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || null; } catch (e) { return null; }
  }
  function chosen(choice) {
    if (!choice) return [];
    var ids = (choice.components || []).slice();
    if (choice.audience) {
      var radio = form.querySelector("input[name=audience][value='" + choice.audience + "']");
      if (radio) ids = ids.concat(radio.getAttribute("data-components").split(" "));
    }
    return ids;
  }
  function text(tag, content) {
    var el = document.createElement(tag);
    el.textContent = content;
    return el;
  }
  // The chosen components and the current events that affect them, first on the page.
  function show(choice, announce) {
    var old = document.getElementById("yours");
    if (old) old.parentNode.removeChild(old);
    var cards = document.querySelectorAll(".card.mine");
    for (var c = 0; c < cards.length; c++) cards[c].classList.remove("mine");
    var ids = chosen(choice);
    if (announce) note.textContent = ids.length ? say("saved") : say("cleared");
    if (!ids.length) return;
    var panel = document.createElement("section");
    panel.id = "yours";
    panel.className = "yours";
    panel.setAttribute("aria-labelledby", "yours-h");
    var h = text("h2", say("yours"));
    h.id = "yours-h";
    panel.appendChild(h);
    var page = choice.audience && box.querySelector(".choose-group li[data-id='" + choice.audience + "'] a");
    if (page) {
      var own = document.createElement("p");
      own.appendChild(page.cloneNode(true));
      panel.appendChild(own);
    }
    var list = document.createElement("ul");
    list.className = "components";
    ids.forEach(function (id) {
      var source = document.querySelector(".systems li[data-component='" + id + "'] .component-head");
      if (!source || list.querySelector("[data-component='" + id + "']")) return;
      var li = document.createElement("li");
      li.className = "component";
      li.setAttribute("data-component", id);
      li.appendChild(source.cloneNode(true));
      list.appendChild(li);
    });
    panel.appendChild(list);
    var hit = false;
    var all = document.querySelectorAll(".card");
    for (var k = 0; k < all.length; k++) {
      var card = all[k], names = (card.getAttribute("data-components") || "").split(" ").filter(Boolean);
      var mine = !names.length || names.some(function (n) { return ids.indexOf(n) >= 0; });
      if (!mine) continue;
      hit = true;
      card.classList.add("mine");
      card.parentNode.insertBefore(card, card.parentNode.querySelector(".card"));
      var title = card.querySelector("h3 a");
      var p = document.createElement("p");
      var a = text("a", title.textContent);
      a.href = title.getAttribute("href");
      p.appendChild(a);
      panel.appendChild(p);
    }
    if (!hit) panel.appendChild(text("p", say("unaffected")));
    front.parentNode.insertBefore(panel, front);
  }
  function fill(choice) {
    var inputs = form.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      input.checked = !!choice && (input.name === "audience" ? choice.audience === input.value : (choice.components || []).indexOf(input.value) >= 0);
    }
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var picked = form.querySelector("input[name=audience]:checked");
    var components = [].map.call(form.querySelectorAll("input[name=component]:checked"), function (x) { return x.value; });
    var choice = { audience: picked ? picked.value : null, components: components };
    try { localStorage.setItem(KEY, JSON.stringify(choice)); } catch (err) { /* not kept: shown until reload */ }
    show(choice, true);
  });
  clear.addEventListener("click", function () {
    try { localStorage.removeItem(KEY); } catch (err) { /* nothing kept */ }
    fill(null);
    show(null, true);
  });
  var saved = load();
  fill(saved);
  show(saved, false);
})();
