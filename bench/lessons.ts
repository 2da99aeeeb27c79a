/**
 * How long each built-in lesson's training takes: every step's setup built as the lab builds it (the same lane
 * configs: src/app/lessons/setups.ts, the race's lanes from src/app/race/lanes.ts) and trained headless with the
 * engine in Node (wasm, one thread) until the step's condition, as the lab would stop it. Writes per step the
 * steps trained and the wall seconds (each lane's, their sum and their maximum: the lab trains the lanes of a
 * race at once, one core each) with the machine's load, to bench/results/lessons/.
 *
 *   npx tsx bench/lessons.ts [--lesson ID] [--out DIR]
 *
 * Evaluation every 50 steps (the race's fixed schedule) for every lane, so a condition's step does not depend on
 * timings; the lab's single runs use the adaptive schedule and may see a milestone up to one evaluation later.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { deepMerge, type Config } from '../src/engine/config';
import { startNodeBackend } from '../src/engine/node';
import { Trainer } from '../src/engine/trainer';
import type { MetricRecord } from '../src/engine/records';
import { buildSetup } from '../src/app/lessons/setups';
import { detectMilestones } from '../src/app/logic/milestones';
import { RACE_EVAL_EVERY, raceLanes } from '../src/app/lanes/race';
import { BUILTIN_LESSONS } from '../src/lessons/builtin';
import { conditionMet, describeCondition } from '../src/lessons/conditions';
import type { Lesson, LessonStep } from '../src/lessons/schema';

const EVAL_EVERY = RACE_EVAL_EVERY;

interface BenchLane {
  name: string;
  trainer: Trainer;
  history: MetricRecord[];
  wallMs: number;
  done: boolean;
}

interface StepResult {
  step: number;
  title: string;
  waitsFor: string | null;
  /** Whether the condition held (false: every lane stopped first, or nothing to wait for). */
  met: boolean;
  /** Steps trained in this lesson step, per lane. */
  stepsTrained: Record<string, number>;
  /** Each lane's step when the lesson step ended. */
  laneSteps: Record<string, number>;
  wallSeconds: { perLane: Record<string, number>; sum: number; max: number };
  note?: string;
}

function lanesFor(step: LessonStep): { name: string; config: Config }[] | 'continue' | 'sweep' {
  const setup = buildSetup(step.setup);
  if (setup.kind === 'continue' || setup.kind === 'sweep') return setup.kind;
  if (setup.kind === 'race') {
    const race = raceLanes(setup.preset, RACE_EVAL_EVERY);
    if (!race.ok) throw new Error(race.issues.map((issue) => issue.message).join('; '));
    return race.lanes;
  }
  return setup.lanes;
}

function progress(lane: BenchLane) {
  return {
    step: lane.trainer.step,
    milestones: detectMilestones(lane.history, lane.trainer.config.training.grokThreshold),
    history: lane.history,
    stopped: lane.done,
  };
}

/** One evaluation interval of training for a lane (it stops for good as the lab's lane would). */
async function advance(lane: BenchLane): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < EVAL_EVERY; i++) lane.trainer.trainStep();
  const { record } = await lane.trainer.evaluate();
  lane.history.push(record);
  lane.wallMs += performance.now() - started;
  const { training } = lane.trainer.config;
  const grokked = progress(lane).milestones.grokked;
  if (lane.trainer.step >= training.maxSteps) lane.done = true;
  if (grokked !== null && training.stopAfterGrok > 0 && lane.trainer.step >= grokked + training.stopAfterGrok)
    lane.done = true;
}

async function benchLesson(lesson: Lesson): Promise<object> {
  let lanes: BenchLane[] = [];
  const steps: StepResult[] = [];
  const loadStart = loadavg();
  for (const [index, step] of lesson.steps.entries()) {
    const setup = lanesFor(step);
    let note: string | undefined;
    if (setup === 'sweep')
      note = 'a sweep map: not trained here (bench/results/sweep-radial/, the lab: sweep-lab/)';
    else if (setup === 'continue') {
      if (step.setup.kind === 'continue' && step.setup.set) {
        const patch = buildSetup(step.setup);
        // As the lab's setFields: regularizers change in the focused lane (lane 0) only.
        if (patch.kind === 'continue' && patch.patch) lanes[0]?.trainer.update(patch.patch);
      }
    } else {
      for (const lane of lanes) lane.trainer.dispose();
      lanes = setup.map(({ name, config }) => ({
        name,
        trainer: new Trainer(deepMerge(config, { training: { evalEvery: EVAL_EVERY } })),
        history: [],
        wallMs: 0,
        done: false,
      }));
      for (const lane of lanes) lane.history.push((await lane.trainer.evaluate()).record);
    }
    const before = lanes.map((lane) => ({ step: lane.trainer.step, wallMs: lane.wallMs }));
    let met = false;
    if (step.do.kind === 'run' && setup !== 'sweep') {
      const until = step.do.until;
      while (!(met = conditionMet(until, lanes.map(progress)))) {
        const live = lanes.filter((lane) => !lane.done);
        if (live.length === 0) break;
        for (const lane of live) await advance(lane);
      }
    }
    const perLane = Object.fromEntries(
      lanes.map((lane, i) => [lane.name, Number(((lane.wallMs - before[i].wallMs) / 1000).toFixed(2))]),
    );
    const seconds = Object.values(perLane);
    steps.push({
      step: index + 1,
      title: step.title,
      waitsFor: step.do.kind === 'run' ? describeCondition(step.do.until, lanes.length) : null,
      met,
      stepsTrained: Object.fromEntries(
        lanes.map((lane, i) => [lane.name, lane.trainer.step - before[i].step]),
      ),
      laneSteps: Object.fromEntries(lanes.map((lane) => [lane.name, lane.trainer.step])),
      wallSeconds: {
        perLane,
        sum: Number(seconds.reduce((a, b) => a + b, 0).toFixed(2)),
        max: Number(Math.max(0, ...seconds).toFixed(2)),
      },
      ...(note ? { note } : {}),
    });
    const last = steps[steps.length - 1];
    console.log(
      `${lesson.id} ${last.step}. ${last.title}: ${JSON.stringify(last.laneSteps)} ${last.wallSeconds.max} s (max over lanes)${met ? '' : step.do.kind === 'run' ? ' — condition not met' : ''}`,
    );
  }
  for (const lane of lanes) lane.trainer.dispose();
  return {
    lesson: lesson.id,
    title: lesson.title,
    evalEvery: EVAL_EVERY,
    load1: { start: Number(loadStart[0].toFixed(2)), end: Number(loadavg()[0].toFixed(2)) },
    trainingWallSeconds: Number(steps.reduce((sum, step) => sum + step.wallSeconds.max, 0).toFixed(1)),
    steps,
  };
}

async function main() {
  const args = process.argv.slice(2);
  const only = args.includes('--lesson') ? args[args.indexOf('--lesson') + 1] : null;
  const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : join('bench', 'results', 'lessons');
  const lessons = BUILTIN_LESSONS.filter((lesson) => only === null || lesson.id === only);
  if (lessons.length === 0) throw new Error(`no lesson “${only}”`);
  const { backend } = await startNodeBackend('wasm');
  mkdirSync(out, { recursive: true });
  for (const lesson of lessons) {
    const result = await benchLesson(lesson);
    writeFileSync(join(out, `${lesson.id}.json`), `${JSON.stringify({ backend, ...result }, null, 2)}\n`);
  }
}

await main();
