//! The legend beside the picture, always on screen: what colours, glyphs and lines mean under the
//! look in force (the default or a renderer plugin's key). The same legend goes into every PNG and
//! SVG export. Plugin text is shown as text, escaped.

use leptos::prelude::*;
use plugin_host::display::visible;
use renderer::legend::{Legend, Swatch};
use renderer::style::Shape;

use crate::state::Ui;

/// The CSS class that draws a swatch.
fn swatch_class(swatch: Swatch) -> &'static str {
    match swatch {
        Swatch::Node(Shape::Circle) => "swatch circle",
        Swatch::Node(Shape::Square) => "swatch square",
        Swatch::Node(Shape::Diamond) => "swatch diamond",
        Swatch::Node(Shape::Triangle) => "swatch triangle",
        Swatch::Node(Shape::Box) => "swatch box",
        Swatch::Line { dashed: false } => "swatch line",
        Swatch::Line { dashed: true } => "swatch line dashed",
        Swatch::Area => "swatch area",
    }
}

/// The legend, folded to its title when the user wants the room.
#[component]
pub fn LegendView() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let open = RwSignal::new(true);
    let legend = Memo::new(move |_| {
        // Read what the legend depends on, so it follows graph, style and filters.
        ui.version.track();
        ui.styled.track();
        ui.map_shown.track();
        ui.narrow.track();
        ui.studio.with_value(|s| s.legend())
    });
    view! {
        {move || {
            legend
                .get()
                .map(|l: Legend| {
                    view! {
                        <aside class="legend" data-testid="legend" aria-label="Legend">
                            <button
                                class="legend-title"
                                data-testid="legend-toggle"
                                title="Show or fold the legend; it is always included in exports"
                                on:click=move |_| open.update(|o| *o = !*o)
                            >
                                {visible(&l.title).into_owned()}
                            </button>
                            <Show when=move || open.get()>
                                {l.sections
                                    .iter()
                                    .map(|section| {
                                        view! {
                                            <h4>{visible(&section.heading).into_owned()}</h4>
                                            <ul>
                                                {section
                                                    .entries
                                                    .iter()
                                                    .map(|e| {
                                                        let [r, g, b, a] = e.color.channels();
                                                        let colour = format!("rgba({r},{g},{b},{:.2})", f32::from(a) / 255.0);
                                                        view! {
                                                            <li data-testid="legend-entry">
                                                                <span class=swatch_class(e.swatch) style:--swatch=colour></span>
                                                                {visible(&e.label).into_owned()}
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                    })
                                    .collect_view()}
                                {l.notes.iter().map(|n| view! { <p class="muted">{n.clone()}</p> }).collect_view()}
                            </Show>
                        </aside>
                    }
                })
        }}
    }
}
