// Draws the intel network graph from the JSON the page carries (#graph-data) with Cytoscape.js.
// The same graph is on the page as lists, for phones and screen readers.
(function () {
  "use strict";
  function start() {
    var holder = document.getElementById("graph");
    var data = document.getElementById("graph-data");
    if (!holder || !data || typeof window.cytoscape !== "function") { return; }
    var graph = JSON.parse(data.textContent);
    var elements = [];
    graph.nodes.forEach(function (n) {
      elements.push({ data: { id: n.id, label: n.label, type: n.type, hop: n.hop } });
    });
    graph.edges.forEach(function (e, i) {
      elements.push({ data: { id: "e" + i, source: e.source, target: e.target } });
    });
    holder.hidden = false;
    window.cytoscape({
      container: holder,
      elements: elements,
      wheelSensitivity: 0.3,
      layout: { name: "cose", animate: false, padding: 20 },
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 120, "text-valign": "bottom", "text-margin-y": 4 } },
        { selector: 'node[type = "case"]', style: { "shape": "round-rectangle", "background-color": "#1f5fa8", "width": 26, "height": 26 } },
        { selector: 'node[type = "held"]', style: { "shape": "round-rectangle", "background-color": "#bbbbbb", "border-style": "dashed", "border-width": 2, "border-color": "#777777", "color": "#555555" } },
        { selector: 'node[type = "person"]', style: { "shape": "ellipse", "background-color": "#b03a2e", "width": 22, "height": 22 } },
        { selector: 'node[type = "value"]', style: { "shape": "diamond", "background-color": "#1e7e34", "width": 18, "height": 18 } },
        { selector: "node[hop = 0]", style: { "border-width": 4, "border-color": "#000000" } },
        { selector: "edge", style: { "width": 1.5, "line-color": "#999999", "curve-style": "bezier" } }
      ]
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
