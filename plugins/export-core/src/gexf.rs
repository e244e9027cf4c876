//! GEXF 1.3 (Gephi's format), with the app's colours and sizes (`viz:color`, `viz:size`) and the
//! positions on screen (`viz:position`) when the exporter is given them.

use crate::ExportGraph;
use crate::graphml::escaped;

/// The graph in GEXF 1.3: a directed graph whose nodes carry `kind`, `file` and `module` as
/// attributes, and whose edges carry `kind`.
#[must_use]
pub fn write(graph: &ExportGraph) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" ",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
        "  <meta><creator>Parseltongue Studio</creator><description>Interface Signature Graph</description></meta>\n",
        "  <graph defaultedgetype=\"directed\" mode=\"static\">\n",
        "    <attributes class=\"node\">\n",
        "      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n",
        "      <attribute id=\"file\" title=\"file\" type=\"string\"/>\n",
        "      <attribute id=\"module\" title=\"module\" type=\"integer\"/>\n",
        "    </attributes>\n",
        "    <attributes class=\"edge\">\n",
        "      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n",
        "    </attributes>\n",
        "    <nodes>\n",
    ));
    let degrees = graph.degrees();
    for (i, name) in graph.names.iter().enumerate() {
        let kind = graph.kinds.get(i).map_or("", String::as_str);
        let file = graph.files.get(i).map_or("", String::as_str);
        let module = graph.modules.get(i).copied().unwrap_or(0);
        let [r, g, b, a] = graph.color(i);
        let position =
            graph.position(i).map(|[x, y]| format!("<viz:position x=\"{x}\" y=\"{y}\" z=\"0\"/>")).unwrap_or_default();
        out.push_str(&format!(
            "      <node id=\"n{i}\" label=\"{}\"><attvalues><attvalue for=\"kind\" value=\"{}\"/><attvalue for=\"file\" value=\"{}\"/><attvalue for=\"module\" value=\"{module}\"/></attvalues><viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\" a=\"{:.3}\"/><viz:size value=\"{}\"/>{position}</node>\n",
            escaped(name),
            escaped(kind),
            escaped(file),
            f32::from(a) / 255.0,
            pt_abi::node_radius(degrees[i]),
        ));
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for (at, ([a, b], kind)) in graph.valid_edges().enumerate() {
        out.push_str(&format!(
            "      <edge id=\"e{at}\" source=\"n{a}\" target=\"n{b}\"><attvalues><attvalue for=\"kind\" value=\"{}\"/></attvalues></edge>\n",
            escaped(kind)
        ));
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}
