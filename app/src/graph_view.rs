//! The graph canvas: renderer start-up, resize, pan, zoom, keyboard, picking and redraws on demand.

use leptos::prelude::*;
use leptos::task::spawn_local;
use renderer::web::{BackendPreference, GpuRenderer};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::loading::query_param;
use crate::state::device_pixel_ratio;
use crate::state::{BackendState, HoverCard, Ui};
use crate::web_gpu::{PageStudio, WebGpu};

/// Matches the canvas's backing store to its CSS size times the device-pixel ratio.
fn fit_canvas(ui: Ui, canvas: &web_sys::HtmlCanvasElement) {
    let dpr = device_pixel_ratio();
    let width = (f64::from(canvas.client_width()) * dpr).round().max(1.0) as u32;
    let height = (f64::from(canvas.client_height()) * dpr).round().max(1.0) as u32;
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    ui.studio.update_value(|s| {
        let first = s.camera.viewport == [1.0, 1.0];
        s.camera.viewport = [width as f32, height as f32];
        if let Some(r) = &mut s.renderer {
            r.0.resize(width, height);
        }
        if first {
            s.fit();
        }
    });
    ui.request_redraw();
}

/// What a press on the canvas is doing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum Gesture {
    #[default]
    None,
    /// Pressed, not yet moved far: a click if released now.
    Press { start: [f32; 2], last: [f32; 2] },
    /// Dragging the view.
    Pan { last: [f32; 2] },
    /// Shift-drag: a selection box from `start`.
    Box { start: [f32; 2], now: [f32; 2] },
    /// Dragging on the minimap recentres the view.
    Minimap,
    /// Two fingers: zoom by their spread, pan by their midpoint.
    Pinch { spread: f32, mid: [f32; 2] },
}

/// Pointers down on the canvas, by id (two at most matter).
#[derive(Clone, Debug, Default)]
struct Pointers {
    down: Vec<(i32, [f32; 2])>,
    gesture: Gesture,
}

impl Pointers {
    fn pinch(&self) -> Option<(f32, [f32; 2])> {
        let [(_, a), (_, b)] = self.down.get(..2)?.try_into().ok()?;
        let spread = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt().max(1.0);
        Some((spread, [(a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5]))
    }
}

fn pointer_px(ev: &web_sys::MouseEvent) -> [f32; 2] {
    let dpr = device_pixel_ratio() as f32;
    [ev.offset_x() as f32 * dpr, ev.offset_y() as f32 * dpr]
}

/// Export sizes offered, as (label, scale of the view or a fixed long side).
const PNG_SIZES: &[(&str, ExportSize)] = &[
    ("PNG 1×", ExportSize::Scale(1.0)),
    ("PNG 2×", ExportSize::Scale(2.0)),
    ("PNG 4×", ExportSize::Scale(4.0)),
    ("PNG 8K", ExportSize::LongSide(8192)),
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum ExportSize {
    Scale(f32),
    LongSide(u32),
}

fn export_dimensions(viewport: [f32; 2], size: ExportSize) -> (u32, u32) {
    let k = match size {
        ExportSize::Scale(k) => k,
        ExportSize::LongSide(side) => side as f32 / viewport[0].max(viewport[1]),
    };
    let fit = (renderer::export::MAX_EXPORT_SIDE as f32 / (viewport[0].max(viewport[1]) * k)).min(1.0);
    ((viewport[0] * k * fit).round().max(1.0) as u32, (viewport[1] * k * fit).round().max(1.0) as u32)
}

/// Renders the view at `size` and offers it as a download. The renderer leaves the studio while
/// the export runs, so frames pause rather than race it.
fn export_png(ui: Ui, size: ExportSize) {
    let now = crate::loading::now_ms();
    let taken = ui
        .studio
        .try_update_value(|s| {
            s.draw_full(now);
            Some((s.renderer.take()?, s.last.clone()?, s.legend(), s.pixel_ratio))
        })
        .flatten();
    let Some((WebGpu(mut renderer), last, legend, dpr)) = taken else {
        ui.error.set(Some("nothing is drawn yet, so there is nothing to export".into()));
        return;
    };
    ui.exporting.set(true);
    spawn_local(async move {
        let (w, h) = export_dimensions(last.frame.camera.viewport, size);
        // The legend grows with the export, as the picture does.
        let scale = w as f32 / last.frame.camera.viewport[0].max(1.0) * dpr;
        let image = legend.and_then(|l| l.rasterize(scale).ok());
        let margin = (renderer::svg::LEGEND_MARGIN_PX * scale).round() as u32;
        let result = renderer.export_png(&last.frame, w, h, image.as_ref().map(|i| (i, [margin, margin]))).await;
        ui.studio.update_value(|s| s.renderer = Some(WebGpu(renderer)));
        ui.exporting.set(false);
        match result {
            Ok(png) => {
                if let Err(e) = crate::browser_file::download(&png, &format!("isg-view-{w}x{h}.png")) {
                    ui.error.set(Some(e.to_string()));
                }
            }
            Err(e) => ui.error.set(Some(e.to_string())),
        }
        ui.request_redraw();
    });
}

fn export_svg(ui: Ui) {
    let now = crate::loading::now_ms();
    let svg = ui.studio.try_update_value(|s| {
        s.draw_full(now);
        s.export_svg()
    });
    match svg.flatten() {
        Some(svg) => {
            if let Err(e) = crate::browser_file::download(svg.as_bytes(), "isg-view.svg") {
                ui.error.set(Some(e.to_string()));
            }
        }
        None => ui.error.set(Some("nothing is drawn yet, so there is nothing to export".into())),
    }
}

/// The canvas with its backend badge.
#[component]
pub fn GraphView() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let started = StoredValue::new(false);

    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        if started.get_value() {
            return;
        }
        started.set_value(true);
        fit_canvas(ui, &canvas);
        let observed = canvas.clone();
        let on_resize = Closure::<dyn FnMut()>::new(move || fit_canvas(ui, &observed));
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&canvas);
        }
        // The canvas lives as long as the page, and so does its resize handler.
        on_resize.forget();
        if query_param("lighter").as_deref() == Some("off") {
            ui.studio.update_value(|s| s.pacer = studio_core::pacing::FramePacer::always_full());
        }
        let preference = match query_param("backend").as_deref() {
            Some("webgl2") => BackendPreference::WebGl2Only,
            _ => BackendPreference::Auto,
        };
        spawn_local(async move {
            match GpuRenderer::new(canvas.clone(), preference).await {
                Ok(renderer) => {
                    let label = renderer.backend().label();
                    let attached = ui.studio.try_update_value(|s| s.attach_renderer(WebGpu(renderer)));
                    match attached {
                        Some(Ok(())) => ui.backend.set(BackendState::Ready(label)),
                        Some(Err(e)) => {
                            ui.backend.set(BackendState::Ready(label));
                            ui.error.set(Some(e.to_string()));
                        }
                        None => {}
                    }
                    fit_canvas(ui, &canvas);
                }
                Err(e) => ui.backend.set(BackendState::Failed(e.to_string())),
            }
        });
    });

    let pointers = StoredValue::new(Pointers::default());
    let update_hover = move |at: Option<([f32; 2], [f64; 2])>| {
        let changed = ui.studio.try_update_value(|s| s.hover(at.map(|a| a.0))).unwrap_or(false);
        if changed {
            let card = ui.studio.with_value(|s| {
                let id = s.hovered?;
                let c = s.current.as_ref()?;
                let n = isg::NodeId(id);
                Some((id, c.graph.name(n).to_owned(), c.graph.kind_name(n).to_owned()))
            });
            ui.hovered.set(card.zip(at).map(|((id, name, kind), (_, css))| HoverCard { id, name, kind, at: css }));
            ui.request_redraw();
        }
    };

    let on_pointer_down = move |ev: leptos::ev::PointerEvent| {
        let p = pointer_px(&ev);
        if let Some(c) = canvas_ref.get_untracked() {
            c.set_pointer_capture(ev.pointer_id()).ok();
            c.focus().ok();
        }
        let on_minimap = ui.studio.with_value(|s| s.minimap_at(p));
        pointers.update_value(|ps| {
            ps.down.retain(|(id, _)| *id != ev.pointer_id());
            ps.down.push((ev.pointer_id(), p));
            ps.gesture = if let Some((spread, mid)) = ps.pinch() {
                Gesture::Pinch { spread, mid }
            } else if let Some(world) = on_minimap {
                ui.studio.update_value(|s| s.camera.center = world);
                ui.request_redraw();
                Gesture::Minimap
            } else if ev.shift_key() {
                Gesture::Box { start: p, now: p }
            } else {
                Gesture::Press { start: p, last: p }
            };
        });
    };
    let on_pointer_move = move |ev: leptos::ev::PointerEvent| {
        let p = pointer_px(&ev);
        let mut ps = pointers.get_value();
        if let Some(slot) = ps.down.iter_mut().find(|(id, _)| *id == ev.pointer_id()) {
            slot.1 = p;
        }
        match ps.gesture {
            Gesture::None => update_hover(Some((p, [f64::from(ev.offset_x()), f64::from(ev.offset_y())]))),
            Gesture::Press { start, last } => {
                if (p[0] - start[0]).abs() + (p[1] - start[1]).abs() > 4.0 {
                    ui.studio.update_value(|s| s.camera.pan_pixels([p[0] - last[0], p[1] - last[1]]));
                    ps.gesture = Gesture::Pan { last: p };
                    ui.view_moved(ev.time_stamp());
                }
            }
            Gesture::Pan { last } => {
                ui.studio.update_value(|s| s.camera.pan_pixels([p[0] - last[0], p[1] - last[1]]));
                ps.gesture = Gesture::Pan { last: p };
                ui.view_moved(ev.time_stamp());
            }
            Gesture::Box { start, .. } => {
                ps.gesture = Gesture::Box { start, now: p };
                let dpr = device_pixel_ratio() as f32;
                let css = |v: f32| f64::from(v / dpr);
                ui.selection_box.set(Some([
                    css(start[0].min(p[0])),
                    css(start[1].min(p[1])),
                    css((p[0] - start[0]).abs()),
                    css((p[1] - start[1]).abs()),
                ]));
            }
            Gesture::Minimap => {
                if let Some(world) = ui.studio.with_value(|s| s.minimap_at(p)) {
                    ui.studio.update_value(|s| s.camera.center = world);
                    ui.view_moved(ev.time_stamp());
                }
            }
            Gesture::Pinch { spread, mid } => {
                if let Some((now_spread, now_mid)) = ps.pinch() {
                    ui.studio.update_value(|s| {
                        s.camera.pan_pixels([now_mid[0] - mid[0], now_mid[1] - mid[1]]);
                        s.camera.zoom_at(now_mid, now_spread / spread);
                    });
                    ps.gesture = Gesture::Pinch { spread: now_spread, mid: now_mid };
                    ui.view_moved(ev.time_stamp());
                }
            }
        }
        pointers.set_value(ps);
    };
    let on_pointer_up = move |ev: leptos::ev::PointerEvent| {
        let p = pointer_px(&ev);
        let mut ps = pointers.get_value();
        ps.down.retain(|(id, _)| *id != ev.pointer_id());
        match ps.gesture {
            Gesture::Press { .. } => {
                let picked = ui.studio.with_value(|s| s.pick(p));
                match picked {
                    Some(id) if ev.ctrl_key() || ev.meta_key() => ui.toggle_selected(id),
                    _ => ui.select(picked, false),
                }
            }
            Gesture::Box { start, .. } => {
                ui.selection_box.set(None);
                let ids = ui.studio.with_value(|s| s.pick_box(start, p));
                ui.select_many(&ids);
            }
            _ => {}
        }
        // Lifting one finger of a pinch leaves a plain press that must not turn into a click.
        ps.gesture = match ps.down.first() {
            Some(&(_, at)) => Gesture::Pan { last: at },
            None => Gesture::None,
        };
        pointers.set_value(ps);
    };
    let on_pointer_leave = move |_: leptos::ev::PointerEvent| {
        if pointers.with_value(|ps| ps.down.is_empty()) {
            update_hover(None);
        }
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        let factor = (-ev.delta_y() as f32 * 0.0015).exp();
        let at = pointer_px(&ev);
        ui.studio.update_value(|s| s.camera.zoom_at(at, factor));
        ui.view_moved(ev.time_stamp());
    };
    let zoom_to_selection = move || {
        if ui.studio.try_update_value(PageStudio::zoom_to_selection).unwrap_or(false) {
            ui.request_redraw();
        }
    };
    view! {
        <div class="graph-view">
            <crate::legend_view::LegendView />
            <canvas
                node_ref=canvas_ref
                data-testid="graph-canvas"
                tabindex="0"
                aria-label="graph view: drag to pan, shift-drag to select a box, wheel or pinch to zoom, arrows and +/- on the keyboard, f to fit, z to zoom to the selection, m for the minimap, o for the module outlines"
                data-frames=move || ui.frames.get().to_string()
                data-lighter=move || ui.frame_lighter.get().to_string()
                data-version=move || ui.version.get().to_string()
                data-labels=move || ui.view_stats.get().0.to_string()
                data-aggregates=move || format!("{:.2}", ui.view_stats.get().1)
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_up
                on:pointercancel=on_pointer_up
                on:pointerleave=on_pointer_leave
                on:wheel=on_wheel
            ></canvas>
            <Show when=move || ui.frame_slow.get()>
                <div
                    class="frame-pending"
                    data-testid="frame-pending"
                    role="status"
                    title="The renderer is still drawing the last change; while you pan or zoom, a slow renderer draws a lighter picture (no labels or edges) and the full one once you stop"
                >
                    "Drawing…"
                </div>
            </Show>
            {move || {
                ui.selection_box.get().map(|[x, y, w, h]| {
                    view! {
                        <div
                            class="selection-box"
                            data-testid="selection-box"
                            style:left=format!("{x}px")
                            style:top=format!("{y}px")
                            style:width=format!("{w}px")
                            style:height=format!("{h}px")
                        ></div>
                    }
                })
            }}
            {move || {
                ui.hovered.get().map(|HoverCard { id, name, kind, at: [x, y] }| {
                    view! {
                        <div
                            class="hover-card"
                            data-testid="hover-card"
                            data-node=id.to_string()
                            style:left=format!("{}px", x + 14.0)
                            style:top=format!("{}px", y + 14.0)
                        >
                            <span class=format!("kind kind-{}", kind.to_lowercase())>{kind.clone()}</span>
                            " "
                            <span class="name">{name}</span>
                        </div>
                    }
                })
            }}
            <div class="overlay">
                {move || match ui.backend.get() {
                    BackendState::Starting => view! { <span class="badge" data-testid="backend">"starting…"</span> }.into_any(),
                    BackendState::Ready(label) => view! { <span class="badge" data-testid="backend">{label}</span> }.into_any(),
                    BackendState::Failed(message) => {
                        view! {
                            <div class="backend-error" data-testid="backend-error" role="alert">
                                {message}
                            </div>
                        }
                            .into_any()
                    }
                }}
                <button
                    class="fit"
                    data-testid="fit-button"
                    title="Fit the graph in view (f)"
                    on:click=move |_| {
                        ui.studio.update_value(|s| s.fit());
                        ui.request_redraw();
                    }
                >
                    "Fit"
                </button>
                <button
                    class="fit"
                    data-testid="zoom-selection"
                    title="Zoom to the selection (z)"
                    data-selected=move || ui.boxed.get()
                    disabled=move || ui.boxed.get() == 0
                    on:click=move |_| zoom_to_selection()
                >
                    "Zoom to selection"
                </button>
                <button
                    class="fit"
                    data-testid="toggle-modules"
                    title="Show or hide the module map: crates, folders and files as named rings (o)"
                    aria-pressed=move || if ui.map_shown.get() { "true" } else { "false" }
                    on:click=move |_| ui.toggle_modules()
                >
                    "Modules"
                </button>
                <select
                    class="fit"
                    data-testid="export-png"
                    title="Export the view as a PNG"
                    disabled=move || ui.exporting.get()
                    on:change=move |ev| {
                        let choice = event_target_value(&ev);
                        if let Some((_, size)) = PNG_SIZES.iter().find(|(label, _)| *label == choice) {
                            export_png(ui, *size);
                        }
                        if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                            t.set_selected_index(0);
                        }
                    }
                >
                    <option value="">{move || if ui.exporting.get() { "Exporting…" } else { "Export PNG" }}</option>
                    {PNG_SIZES.iter().map(|(label, _)| view! { <option value=*label>{*label}</option> }).collect_view()}
                </select>
                <Show when=move || ui.styled.get()>
                    <button
                        class="fit"
                        data-testid="reset-style"
                        title="Drop the renderer plugin's style and return to the default look"
                        on:click=move |_| {
                            ui.studio.update_value(PageStudio::reset_style);
                            ui.styled.set(false);
                            ui.view_plugins.update(|v| v.renderer = None);
                            ui.request_redraw();
                        }
                    >
                        "Default look"
                    </button>
                </Show>
                <button class="fit" data-testid="export-svg" title="Export the view as SVG" on:click=move |_| export_svg(ui)>
                    "SVG"
                </button>
            </div>
        </div>
    }
}
