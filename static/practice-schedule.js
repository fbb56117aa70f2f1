// When a practice card comes back: FSRS (the Free Spaced Repetition Scheduler, Anki's default
// since 23.10), through ts-fsrs (vendored as fsrs.js). FSRS predicts recall from each card's
// own history (stability and difficulty), which schedules reviews better than SM-2's fixed
// ease factors. Kept apart from the page so node's test runner drives the same code
// (tests/js/practice_schedule.test.js). A card's state is plain JSON, for localStorage and for
// the export file; nothing about the reader leaves the browser.
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./fsrs.js"));
  } else {
    root.PracticeSchedule = factory(root.FSRS);
  }
})(typeof self !== "undefined" ? self : this, function (FSRS) {
  "use strict";

  // No fuzz: the same grades on the same days give the same schedule (tests, and readers
  // comparing notes). 90% recall is FSRS's default aim; a year is the longest wait.
  var scheduler = FSRS.fsrs({ enable_fuzz: false, request_retention: 0.9, maximum_interval: 365 });

  var GRADES = {
    again: FSRS.Rating.Again,
    hard: FSRS.Rating.Hard,
    good: FSRS.Rating.Good,
    easy: FSRS.Rating.Easy
  };

  // A card never seen: due at once.
  function fresh(now) {
    return toJSON(FSRS.createEmptyCard(now));
  }

  // The state after grading `state` with `grade` ("again", "hard", "good" or "easy") at `now`.
  function grade(state, name, now) {
    var rating = GRADES[name];
    if (!rating) throw new Error("unknown grade " + name + ": use again, hard, good or easy");
    var card = fromJSON(state || fresh(now));
    return toJSON(scheduler.next(card, now, rating).card);
  }

  function isDue(state, now) {
    return !state || new Date(state.due).getTime() <= now.getTime();
  }

  // When each grade would bring the card back, for the buttons' labels.
  function preview(state, now) {
    var card = fromJSON(state || fresh(now));
    var out = {};
    Object.keys(GRADES).forEach(function (name) {
      out[name] = scheduler.next(card, now, GRADES[name]).card.due.toISOString();
    });
    return out;
  }

  function toJSON(card) {
    return {
      due: new Date(card.due).toISOString(),
      stability: card.stability,
      difficulty: card.difficulty,
      elapsed_days: card.elapsed_days,
      scheduled_days: card.scheduled_days,
      learning_steps: card.learning_steps,
      reps: card.reps,
      lapses: card.lapses,
      state: card.state,
      last_review: card.last_review ? new Date(card.last_review).toISOString() : null
    };
  }

  // A state read back from storage or an imported file; anything malformed is an error
  // (the import names it) rather than a card scheduled at random.
  function fromJSON(state) {
    var due = new Date(state && state.due);
    if (!state || isNaN(due.getTime())) throw new Error("a card state needs a valid due date");
    var numbers = ["stability", "difficulty", "elapsed_days", "scheduled_days", "reps", "lapses", "state"];
    numbers.forEach(function (key) {
      if (typeof state[key] !== "number" || !isFinite(state[key])) {
        throw new Error("a card state needs a number for " + key);
      }
    });
    return {
      due: due,
      stability: state.stability,
      difficulty: state.difficulty,
      elapsed_days: state.elapsed_days,
      scheduled_days: state.scheduled_days,
      learning_steps: typeof state.learning_steps === "number" ? state.learning_steps : 0,
      reps: state.reps,
      lapses: state.lapses,
      state: state.state,
      last_review: state.last_review ? new Date(state.last_review) : undefined
    };
  }

  return {
    GRADES: Object.keys(GRADES),
    fresh: fresh,
    grade: grade,
    isDue: isDue,
    preview: preview,
    fromJSON: fromJSON,
    toJSON: toJSON
  };
});
