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
    /// The longest an input event waited to be handled since the last frame.
    input_waited: f64,
    /// The last full frame, until it is known to be on screen: when it was done, what it was
    /// taken to cost, and the smoothed cost before it.
    unpresented: Option<Unpresented>,
    /// Smoothed time a cheap frame takes to be shown, and when the last one was done.
    cheap_frame_ms: Option<f64>,
    cheap_done_at: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Unpresented {
    done_at: f64,
    sample: f64,
    before: Option<f64>,
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
        self.interacting_until = now + self.settle_ms();
    }

    /// How long the view must rest to count as still: [`SETTLE_MS`], or longer where even cheap
    /// frames are slow (the next move's event cannot come sooner than the frame before it ends,
    /// and a full frame between two moves of one drag would stall it).
    #[must_use]
    pub fn settle_ms(&self) -> f64 {
        self.cheap_frame_ms.map_or(SETTLE_MS, |ms| SETTLE_MS.max(3.0 * ms))
    }

    /// The pan or zoom happened at `event_time` (the input event's time stamp) and is handled at
    /// `now`: besides [`FramePacer::interacted`], a long wait says the renderer held the page.
    pub fn input_at(&mut self, event_time: f64, now: f64) {
        self.interacted(now);
        self.input_waited = self.input_waited.max(now - event_time);
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
        let waited = std::mem::take(&mut self.input_waited);
        let Some(asked) = self.requested_at.take() else { return };
        if cheap {
            self.cheap_done_at = Some(now);
            return;
        }
        // Where the browser blocks on the GPU between frames (WebGL), the move's event waits and
        // the frame then comes soon after the ask: the event's wait tells the cost instead.
        let sample = (now - asked).max(waited).max(0.0);
        self.unpresented = Some(Unpresented { done_at: now, sample, before: self.full_frame_ms });
        self.learn(sample);
    }

    /// A full frame copied from the renderer's picture cache was drawn: it says nothing of what
    /// drawing costs, and being the full picture it owes no refinement.
    pub fn reused(&mut self) {
        self.last_cheap = false;
        self.requested_at = None;
        self.input_waited = 0.0;
    }

    /// The next animation frame after the last full frame came at `now`: the browser holds it
    /// back until that frame is on screen, so this is the frame's real cost where drawing only
    /// queued the GPU's work (WebGL).
    pub fn presented(&mut self, now: f64) {
        if let Some(done) = self.cheap_done_at.take() {
            let sample = (now - done).max(0.0);
            self.cheap_frame_ms = Some(self.cheap_frame_ms.map_or(sample, |ms| 0.7 * ms + 0.3 * sample));
        }
        if let Some(u) = self.unpresented.take()
            && now - u.done_at > u.sample
        {
            // The frame cost what it took to be shown: learn that instead of the first guess.
            self.full_frame_ms = u.before;
            self.learn(now - u.done_at);
        }
    }

    fn learn(&mut self, sample: f64) {
        let sample = sample.max(0.0);
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
    fn input_that_waited_for_the_renderer_makes_it_slow_and_a_pause_does_not() {
        let mut p = FramePacer::default();
        // The move's event waited 1.8 s for the GPU; its frame then came in 10 ms.
        p.input_at(0.0, 1800.0);
        p.requested(1800.0);
        p.drawn(1810.0, false);
        assert!(p.is_slow(), "{:?}", p.full_frame_ms());
        let mut q = FramePacer::default();
        q.input_at(0.0, 1.0);
        q.requested(1.0);
        q.drawn(8.0, false);
        q.input_at(5000.0, 5001.0);
        q.requested(5001.0);
        q.drawn(5009.0, false);
        assert!(!q.is_slow(), "{:?}", q.full_frame_ms());
    }

    #[test]
    fn a_frame_that_returns_at_once_but_shows_late_is_slow() {
        let mut p = FramePacer::default();
        for k in 0..3 {
            let t = f64::from(k) * 2000.0;
            p.requested(t);
            p.drawn(t + 5.0, false);
            assert!(k > 0 || !p.is_slow(), "drawing returned at once");
            p.presented(t + 1800.0);
        }
        assert!(p.is_slow(), "{:?}", p.full_frame_ms());
        let mut fast = FramePacer::default();
        for k in 0..3 {
            let t = f64::from(k) * 100.0;
            fast.requested(t);
            fast.drawn(t + 5.0, false);
            fast.presented(t + 16.0);
        }
        assert!(!fast.is_slow(), "{:?}", fast.full_frame_ms());
        // Cheap frames of 300 ms stretch the time the view needs to rest to count as still.
        assert_eq!(p.settle_ms(), SETTLE_MS);
        p.interacted(7000.0);
        p.requested(7000.0);
        assert!(p.cheap(7001.0));
        p.drawn(7005.0, true);
        p.presented(7300.0);
        assert!(p.settle_ms() > 800.0, "{}", p.settle_ms());
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
