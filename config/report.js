// A link to a report or a finding opens the collapsed sections around it.
function phulucOpen() {
  var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  for (var node = target; node; node = node.parentElement) if (node.tagName === "DETAILS") node.open = true;
  if (target) target.scrollIntoView();
}
addEventListener("hashchange", phulucOpen);
phulucOpen();
// A table as read is JSON until it is first opened (report_html._rows); its cells are set as text.
document.addEventListener("toggle", function (event) {
  var details = event.target, data = details.open && details.querySelector(":scope > script[type='application/json']");
  if (!data) return;
  var table = details.querySelector("table"), read = JSON.parse(data.textContent);
  read.rows.forEach(function (cells) {
    var row = table.insertRow();
    cells.forEach(function (text) { row.insertCell().textContent = text; });
  });
  read.marks.forEach(function (at) { table.rows[at[0] + 1].cells[at[1]].className = "mark"; });
  read.totals.forEach(function (at) { table.rows[at + 1].className = "total"; });
  data.remove();
}, true);
