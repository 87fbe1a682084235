extension HTMLReport {
    /// The report's style: verdict colours as the diagram's (private green, internet orange,
    /// dropped red); on a narrow window each row becomes a card of labelled fields; printed, the
    /// controls go and expanded paths stay.
    static let style = """
        :root { --private: #1a7f37; --internet: #bc4c00; --dropped: #cf222e; --line: #d0d7de; --muted: #57606a; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0 auto; padding: 1rem; max-width: 1400px; color: #1f2328; }
        h1 { font-size: 1.4rem; margin: 0 0 .5rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid var(--line); } h3 { font-size: 1rem; margin: .25rem 0; }
        dl.inputs { display: grid; grid-template-columns: max-content 1fr; gap: 0 1rem; margin: 0; color: var(--muted); }
        dl.inputs dt { font-weight: 600; } dl.inputs dd { margin: 0; overflow-wrap: anywhere; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { background: #f6f8fa; }
        #rows thead th { position: sticky; top: 0; }
        th[data-sort] { cursor: pointer; user-select: none; }
        th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
        td[data-value], .bars td { font-variant-numeric: tabular-nums; }
        .badge { display: inline-block; padding: 0 .45rem; border-radius: 1rem; color: #fff; font-weight: 600; font-size: .85em; }
        .badge.private, .bar.private { background: var(--private); } .badge.internet, .bar.internet { background: var(--internet); } .badge.dropped, .bar.dropped { background: var(--dropped); }
        .bars .reason-row th { font-weight: normal; padding-left: 1.5rem; }
        .bar-col { width: 40%; } .bar { display: inline-block; height: .8rem; min-width: 1px; vertical-align: middle; } .share { margin-left: .4rem; color: var(--muted); }
        .controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: .5rem 0; }
        .controls input[type=search] { min-width: 16rem; padding: .25rem .4rem; }
        #shown { color: var(--muted); }
        tr.row.changed { background: #fff8c5; }
        tr.row:hover { background: #f6f8fa; }
        button.expand { font: inherit; min-width: 2.2rem; cursor: pointer; border: 1px solid var(--line); border-radius: .3rem; background: #fff; }
        button.expand[aria-expanded="true"] { background: #ddf4ff; }
        tr.detail > td { background: #fbfcfd; }
        .sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
        ol.hops { margin: .25rem 0; padding-left: 2rem; } ol.hops li { margin: .1rem 0; }
        .kind { display: inline-block; min-width: 11rem; color: var(--muted); font-family: ui-monospace, monospace; font-size: .9em; }
        .resource { font-weight: 600; } .hop-detail { color: #1f2328; }
        li.stopped { color: var(--dropped); } .stop { color: var(--dropped); }
        .more { color: var(--muted); font-size: .85em; } .omitted, .missing, .reply { color: var(--muted); }
        .diagram { overflow: auto; border: 1px solid var(--line); padding: .5rem; }
        .diagram svg { max-width: 100%; height: auto; }
        ul.moves { margin: .25rem 0; }
        @media (max-width: 700px) {
          body { padding: .5rem; }
          .bar-col { width: 30%; }
          #rows thead { display: none; }
          #rows, #rows tbody, #rows tr, #rows td { display: block; width: 100%; }
          #rows tr.row { border: 1px solid var(--line); border-radius: .4rem; margin: .5rem 0; padding: .25rem; }
          #rows tr.row td { border: 0; padding: .1rem .25rem; overflow-wrap: anywhere; }
          #rows tr.row td::before { content: attr(data-label) ": "; color: var(--muted); }
          #rows tr.detail[hidden] { display: none; }
          .sides { grid-template-columns: 1fr; }
          .kind { min-width: 0; display: block; }
          .controls input[type=search] { min-width: 0; width: 100%; }
        }
        @media print {
          .controls, button.expand { display: none; }
          body { max-width: none; padding: 0; font-size: 11px; }
          #rows thead th { position: static; }
          tr.row, tr.detail { break-inside: avoid; }
          .diagram { border: 0; overflow: visible; }
          .badge { color: #000; border: 1px solid #000; background: none !important; }
          .bar { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
        }
        """

    /// The table's behaviour: a row's button shows and hides its path; the filter box, the verdict
    /// boxes and "changed only" hide rows; a header sorts by its column (again: the other way).
    static let script = """
        (function () {
          "use strict";
          var table = document.getElementById("rows");
          if (!table) return;
          var body = table.tBodies[0];
          var filter = document.getElementById("filter");
          var changedOnly = document.getElementById("changed-only");
          var verdictBoxes = Array.prototype.slice.call(document.querySelectorAll(".show-verdict"));
          var shown = document.getElementById("shown");
          function rows() { return Array.prototype.slice.call(body.querySelectorAll("tr.row")); }
          function detailOf(row) { return document.getElementById(row.querySelector("button.expand").getAttribute("aria-controls")); }
          function toggle(row, open) {
            var button = row.querySelector("button.expand");
            var detail = detailOf(row);
            var expanded = open === undefined ? button.getAttribute("aria-expanded") !== "true" : open;
            button.setAttribute("aria-expanded", String(expanded));
            detail.hidden = !expanded || row.hidden;
          }
          function apply() {
            var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
            var verdicts = verdictBoxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
            var count = 0, all = rows();
            all.forEach(function (row) {
              var text = row.getAttribute("data-search");
              var visible = verdicts.indexOf(row.getAttribute("data-verdict")) >= 0
                && words.every(function (word) { return text.indexOf(word) >= 0; })
                && (!changedOnly || !changedOnly.checked || row.getAttribute("data-changed") === "true");
              row.hidden = !visible;
              detailOf(row).hidden = !visible || row.querySelector("button.expand").getAttribute("aria-expanded") !== "true";
              if (visible) count += 1;
            });
            shown.textContent = "showing " + count + " of " + all.length;
          }
          function sortBy(header) {
            var index = Array.prototype.indexOf.call(header.parentNode.children, header);
            var kind = header.getAttribute("data-sort");
            var ascending = header.getAttribute("aria-sort") !== "ascending";
            table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
            header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
            function value(row) {
              if (kind === "first") return Number(row.getAttribute("data-first"));
              var cell = row.children[index];
              return kind === "number" ? Number(cell.getAttribute("data-value")) : cell.textContent.toLowerCase();
            }
            var sorted = rows().sort(function (a, b) {
              var x = value(a), y = value(b);
              var order = x < y ? -1 : x > y ? 1 : Number(a.getAttribute("data-first")) - Number(b.getAttribute("data-first"));
              return ascending ? order : -order;
            });
            sorted.forEach(function (row) { body.appendChild(row); body.appendChild(detailOf(row)); });
          }
          body.addEventListener("click", function (event) {
            var row = event.target.closest("tr.row");
            if (row && !event.target.closest("a")) toggle(row);
          });
          table.tHead.addEventListener("click", function (event) {
            var header = event.target.closest("th[data-sort]");
            if (header) sortBy(header);
          });
          filter.addEventListener("input", apply);
          verdictBoxes.forEach(function (box) { box.addEventListener("change", apply); });
          if (changedOnly) changedOnly.addEventListener("change", apply);
          apply();
        })();
        """
}
