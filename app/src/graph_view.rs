//! The graph canvas: renderer start-up, resize, pan, zoom, keyboard, picking and redraws on demand.

use leptos::prelude::*;
use leptos::task::spawn_local;
use renderer::web::{BackendPreference, GpuRenderer};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::loading::query_param;
use crate::ui::{BackendState, Ui};

/// Schedules one redraw on the next animation frame; repeated calls before it runs coalesce.
pub fn request_redraw(ui: Ui) {
    let already = ui.studio.try_update_value(|s| std::mem::replace(&mut s.frame_pending, true)).unwrap_or(true);
    if already {
        return;
    }
    request_animation_frame(move || {
        let frames = ui.studio.try_update_value(|s| {
            s.frame_pending = false;
            s.draw();
            s.frames
        });
        if let Some(f) = frames {
            ui.frames.set(f);
        }
    });
}

fn device_pixel_ratio() -> f64 {
    web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(0.5)
}

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
            r.resize(width, height);
        }
        if first {
            s.fit();
        }
    });
    request_redraw(ui);
}

#[derive(Clone, Copy, Default)]
struct Drag {
    active: bool,
    start: [f32; 2],
    last: [f32; 2],
    moved: bool,
}

fn pointer_px(ev: &web_sys::MouseEvent) -> [f32; 2] {
    let dpr = device_pixel_ratio() as f32;
    [ev.offset_x() as f32 * dpr, ev.offset_y() as f32 * dpr]
}

/// The canvas with its backend badge.
#[component]
pub fn GraphView() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let started = StoredValue::new(false);
    let drag = StoredValue::new(Drag::default());

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
        let preference = match query_param("backend").as_deref() {
            Some("webgl2") => BackendPreference::WebGl2Only,
            _ => BackendPreference::Auto,
        };
        spawn_local(async move {
            match GpuRenderer::new(canvas.clone(), preference).await {
                Ok(renderer) => {
                    let label = renderer.backend().label();
                    let attached = ui.studio.try_update_value(|s| s.attach_renderer(renderer));
                    match attached {
                        Some(Ok(())) => ui.backend.set(BackendState::Ready(label)),
                        Some(Err(e)) => {
                            ui.backend.set(BackendState::Ready(label));
                            ui.error.set(Some(e));
                        }
                        None => {}
                    }
                    fit_canvas(ui, &canvas);
                }
                Err(e) => ui.backend.set(BackendState::Failed(e.to_string())),
            }
        });
    });

    let on_pointer_down = move |ev: leptos::ev::PointerEvent| {
        let p = pointer_px(&ev);
        drag.set_value(Drag { active: true, start: p, last: p, moved: false });
        if let Some(c) = canvas_ref.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
            let _ = c.focus();
        }
    };
    let on_pointer_move = move |ev: leptos::ev::PointerEvent| {
        let mut d = drag.get_value();
        if !d.active {
            return;
        }
        let p = pointer_px(&ev);
        let delta = [p[0] - d.last[0], p[1] - d.last[1]];
        d.last = p;
        if (p[0] - d.start[0]).abs() + (p[1] - d.start[1]).abs() > 4.0 {
            d.moved = true;
        }
        drag.set_value(d);
        if d.moved {
            ui.studio.update_value(|s| s.camera.pan_pixels(delta));
            request_redraw(ui);
        }
    };
    let on_pointer_up = move |ev: leptos::ev::PointerEvent| {
        let d = drag.get_value();
        drag.set_value(Drag::default());
        if d.active && !d.moved {
            let picked = ui.studio.with_value(|s| s.pick(pointer_px(&ev)));
            ui.select(picked, false);
        }
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        let factor = (-ev.delta_y() as f32 * 0.0015).exp();
        let at = pointer_px(&ev);
        ui.studio.update_value(|s| s.camera.zoom_at(at, factor));
        request_redraw(ui);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step = 60.0 * device_pixel_ratio() as f32;
        let handled = ui
            .studio
            .try_update_value(|s| {
                let centre = [s.camera.viewport[0] * 0.5, s.camera.viewport[1] * 0.5];
                match ev.key().as_str() {
                    "ArrowLeft" => s.camera.pan_pixels([step, 0.0]),
                    "ArrowRight" => s.camera.pan_pixels([-step, 0.0]),
                    "ArrowUp" => s.camera.pan_pixels([0.0, step]),
                    "ArrowDown" => s.camera.pan_pixels([0.0, -step]),
                    "+" | "=" => s.camera.zoom_at(centre, 1.25),
                    "-" | "_" => s.camera.zoom_at(centre, 0.8),
                    "f" | "0" => s.fit(),
                    _ => return false,
                }
                true
            })
            .unwrap_or(false);
        if handled {
            ev.prevent_default();
            request_redraw(ui);
        } else if ev.key() == "Escape" {
            ui.select(None, false);
        }
    };

    view! {
        <div class="graph-view">
            <canvas
                node_ref=canvas_ref
                data-testid="graph-canvas"
                tabindex="0"
                aria-label="graph view: drag to pan, wheel to zoom, arrows and +/- on the keyboard, f to fit"
                data-frames=move || ui.frames.get().to_string()
                data-version=move || ui.version.get().to_string()
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_up
                on:wheel=on_wheel
                on:keydown=on_key
            ></canvas>
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
                        request_redraw(ui);
                    }
                >
                    "Fit"
                </button>
            </div>
        </div>
    }
}
