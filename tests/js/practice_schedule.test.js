// The practice schedule (static/practice-schedule.js) over real FSRS (static/fsrs.js).
// Run by `cargo test` (tests/app/javascript.rs) with node's built-in test runner.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const schedule = require("../../static/practice-schedule.js");

const DAY = 24 * 60 * 60 * 1000;
const start = new Date("2026-01-05T08:00:00Z");
const at = (days, hours = 0) => new Date(start.getTime() + days * DAY + hours * 3600 * 1000);
const daysUntil = (state, now) => (new Date(state.due) - now) / DAY;

test("a new card is due at once", () => {
  assert.ok(schedule.isDue(undefined, start));
  assert.ok(schedule.isDue(schedule.fresh(start), start));
});

test("better grades bring a card back later", () => {
  const waits = schedule.GRADES.map((g) => daysUntil(schedule.grade(undefined, g, start), start));
  for (let i = 1; i < waits.length; i++) {
    assert.ok(waits[i] > waits[i - 1], `${schedule.GRADES[i]} after ${schedule.GRADES[i - 1]}: ${waits}`);
  }
  // Again and Hard on a new card come back the same day (learning steps); Easy takes days.
  assert.ok(waits[0] < 1 && waits[3] >= 1, `${waits}`);
  const preview = schedule.preview(undefined, start);
  assert.deepEqual(Object.keys(preview), schedule.GRADES);
  assert.equal(preview.good, schedule.grade(undefined, "good", start).due);
});

test("a month of daily practice: intervals grow while recalled, shrink after a lapse", () => {
  let state;
  const waits = [];
  let now = start;
  // Review whenever due, always "good", for 60 days.
  for (let day = 0; day < 60; day++) {
    for (let hour = 0; hour < 24; hour += 1) {
      now = at(day, hour);
      if (schedule.isDue(state, now)) {
        state = schedule.grade(state, "good", now);
        waits.push(daysUntil(state, now));
      }
    }
  }
  const reviewed = waits.filter((w) => w >= 1);
  assert.ok(reviewed.length >= 3, `${waits}`);
  for (let i = 1; i < reviewed.length; i++) {
    assert.ok(reviewed[i] > reviewed[i - 1], `the wait grows: ${reviewed}`);
  }
  assert.ok(waits.length < 12, `few reviews in two months when always recalled: ${waits.length}`);
  // Forgetting it: back within a day, and the next successful wait is shorter than before.
  const longest = reviewed[reviewed.length - 1];
  now = new Date(state.due);
  const lapsed = schedule.grade(state, "again", now);
  assert.ok(daysUntil(lapsed, now) < 1);
  assert.equal(lapsed.lapses, 1);
  const relearned = schedule.grade(lapsed, "good", new Date(lapsed.due));
  assert.ok(daysUntil(relearned, new Date(lapsed.due)) < longest);
});

test("states survive JSON (localStorage, export and import) and bad ones are refused", () => {
  const state = schedule.grade(schedule.grade(undefined, "good", start), "easy", at(1));
  const copy = JSON.parse(JSON.stringify(state));
  assert.deepEqual(schedule.toJSON(schedule.fromJSON(copy)), state);
  assert.deepEqual(schedule.grade(copy, "good", at(30)), schedule.grade(state, "good", at(30)));
  assert.throws(() => schedule.fromJSON({ ...copy, due: "not a date" }), /due date/);
  assert.throws(() => schedule.fromJSON({ ...copy, stability: "x" }), /stability/);
  assert.throws(() => schedule.grade(state, "perfect", at(2)), /unknown grade/);
});

test("the same grades on the same days give the same schedule", () => {
  const run = () => ["good", "hard", "good", "easy"].reduce(
    (state, g, i) => schedule.grade(state, g, at(i * 3)), undefined);
  assert.deepEqual(run(), run());
});
