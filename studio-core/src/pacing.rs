//! Honest frames on slow renderers. The pacer measures how long a requested frame takes to come
//! (the browser holds the next animation frame back while the GPU is still busy, so this is the
//! renderer's real cost, not the page's), says when a frame has been pending long enough to tell
//! the user, and while the user pans or zooms on a slow renderer asks for a cheap drawing (no
//! labels, no individual edges, module aggregates where the graph has them) until the hand rests,
//! then for one full frame.

/// A renderer whose full frames take longer than this is slow (about 15 frames a second).
pub const SLOW_FRAME_MS: f64 = 66.0;
/// The view is taken as still this long after the last pan or zoom.
pub const SETTLE_MS: f64 = 250.0;
/// A frame pending longer than this is shown as pending.
pub const PENDING_SHOWN_MS: f64 = 200.0;

/// Frame latency and interaction, in milliseconds on the page's clock.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FramePacer {
    requested_at: Option<f64>,
    /// Smoothed latency of full frames; `None` before the first.
    full_frame_ms: Option<f64>,
    interacting_until: f64,
    /// The frame being drawn (or last drawn) was the cheap one.
    last_cheap: bool,
    /// Never draw cheaply (`?lighter=off`, to measure the full picture side by side).
    always_full: bool,
}

impl FramePacer {
    /// A pacer that never asks for the cheap picture (it still shows pending frames).
    #[must_use]
    pub fn always_full() -> Self {
        Self { always_full: true, ..Self::default() }
    }

    /// A frame was asked for at `now` (repeated asks before it is drawn keep the first time).
    pub fn requested(&mut self, now: f64) {
        self.requested_at.get_or_insert(now);
    }

    /// The user panned or zoomed at `now`.
    pub fn interacted(&mut self, now: f64) {
        self.interacting_until = now + SETTLE_MS;
    }

    /// The view is taken as still from now on (an export, which must show the full picture).
    pub fn settle(&mut self) {
        self.interacting_until = f64::NEG_INFINITY;
    }

    /// Whether the frame drawn at `now` should be the cheap one: the renderer is slow and the
    /// user is moving the view.
    #[must_use]
    pub fn cheap(&self, now: f64) -> bool {
        !self.always_full && self.is_slow() && now < self.interacting_until
    }

    /// A frame was drawn at `now` (`cheap` as [`FramePacer::cheap`] said). Only full frames
    /// teach the pacer what the renderer costs.
    pub fn drawn(&mut self, now: f64, cheap: bool) {
        self.last_cheap = cheap;
        let Some(asked) = self.requested_at.take() else { return };
        if cheap {
            return;
        }
        let sample = (now - asked).max(0.0);
        self.full_frame_ms = Some(match self.full_frame_ms {
            None => sample,
            Some(ms) => 0.7 * ms + 0.3 * sample,
        });
    }

    /// The renderer's full frames are slow.
    #[must_use]
    pub fn is_slow(&self) -> bool {
        self.full_frame_ms.is_some_and(|ms| ms > SLOW_FRAME_MS)
    }

    /// Smoothed time a full frame takes to come, once one has.
    #[must_use]
    pub fn full_frame_ms(&self) -> Option<f64> {
        self.full_frame_ms
    }

    /// When the view will be still, so a cheap frame must be followed by a full one: `Some(ms)`
    /// while the last frame was cheap.
    #[must_use]
    pub fn refine_at(&self) -> Option<f64> {
        self.last_cheap.then_some(self.interacting_until)
    }

    /// True when a frame has been pending long enough at `now` to say so.
    #[must_use]
    pub fn pending_shown(&self, now: f64) -> bool {
        self.requested_at.is_some_and(|asked| now - asked >= PENDING_SHOWN_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fast_renderer_always_draws_in_full() {
        let mut p = FramePacer::default();
        for k in 0..20 {
            let t = f64::from(k) * 16.0;
            p.interacted(t);
            p.requested(t);
            assert!(!p.cheap(t + 8.0));
            p.drawn(t + 8.0, false);
        }
        assert!(!p.is_slow() && p.refine_at().is_none());
    }

    #[test]
    fn a_slow_renderer_draws_cheaply_while_moving_then_refines_once_still() {
        let mut p = FramePacer::default();
        p.requested(0.0);
        assert!(!p.pending_shown(100.0) && p.pending_shown(250.0), "a long wait is shown");
        p.drawn(400.0, false);
        assert!(p.is_slow() && !p.pending_shown(500.0));
        // Panning: cheap frames, which are quick and do not make the renderer look fast.
        let mut t = 1000.0;
        for _ in 0..10 {
            p.interacted(t);
            p.requested(t);
            assert!(p.cheap(t + 5.0), "moving on a slow renderer draws cheaply");
            p.drawn(t + 20.0, true);
            t += 30.0;
        }
        assert!(p.is_slow(), "cheap frames teach nothing");
        let still = p.refine_at().expect("a full frame is owed");
        assert!(!p.cheap(still), "once still, the full picture comes back");
        p.requested(still);
        p.drawn(still + 300.0, false);
        assert_eq!(p.refine_at(), None);
        // A renderer that turns fast (a smaller graph) stops being treated as slow.
        for k in 0..20 {
            let now = 5000.0 + f64::from(k) * 20.0;
            p.requested(now);
            p.drawn(now + 10.0, false);
        }
        assert!(!p.is_slow(), "{:?}", p.full_frame_ms());
        let mut full = FramePacer::always_full();
        full.requested(0.0);
        full.drawn(400.0, false);
        full.interacted(500.0);
        assert!(full.is_slow() && !full.cheap(510.0), "?lighter=off keeps the full picture");
        p.interacted(6000.0);
        p.requested(6000.0);
        p.drawn(6500.0, false);
        p.interacted(7000.0);
        assert!(p.cheap(7010.0));
        p.settle();
        assert!(!p.cheap(7010.0), "an export settles the view first");
    }
}
