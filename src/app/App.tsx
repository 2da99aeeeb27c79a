import { useEffect, useMemo } from 'react';
import { ChartGrid, ScaleToggle } from './charts/ChartGrid';
import { TimeSeriesChart } from './charts/TimeSeriesChart';
import { useChartData, useChartHistory } from './charts/useChartData';
import { ClassroomView } from './ClassroomView';
import { BackendBadge } from './components/BackendBadge';
import { GrokBanner } from './components/GrokBanner';
import { Notices } from './components/Notices';
import { SidebarDrawer } from './components/SidebarDrawer';
import { ClassroomToggle } from './components/ClassroomToggle';
import { useAutosave } from './hooks/useAutosave';
import { useShortcuts } from './hooks/useShortcuts';
import { useUrlSync } from './hooks/useUrlSync';
import { useWakeLock } from './hooks/useWakeLock';
import { ACCURACY_CHART } from './logic/charts';
import { PresetPicker } from './panels/PresetPicker';
import { RegularizerPanel } from './panels/RegularizerPanel';
import { RunControls } from './panels/RunControls';
import { RunsPanel } from './panels/RunsPanel';
import { EmbeddingPanel, FourierPanel, PredictionGridPanel } from './panels/RunViews';
import { SetupPanel } from './panels/SetupPanel';
import { TrainingPanel } from './panels/TrainingPanel';
import { RaceView } from './race/RaceView';
import { LaneTabs } from './panels/LaneTabs';
import { LanesProgressChart } from './panels/ProgressPanels';
import { LabProvider, useLab, useLane, type LabStore } from './store';
import { LessonBar } from './lessons/LessonBar';
import { LessonProvider, type LessonStore } from './lessons/lessonStore';
import { LessonsButton } from './lessons/LessonsMenu';
import { useLessonKeys } from './lessons/useLessonKeys';
import { SweepClassroomView, SweepEntry, SweepView, useSweepOpen } from './sweep/SweepView';
import { SweepProvider, type SweepStore } from './sweep/sweepStore';

function DatasetTitle() {
  const title = useLane((state) => state.run?.datasetTitle);
  return title ? <span className="topbar__dataset">{title}</span> : null;
}

/** The accuracy chart, large, beside the prediction grid: the grokking story at a glance. */
function Overview() {
  const { specs, markers } = useChartData();
  const history = useChartHistory();
  const xScale = useLab((state) => state.xScale);
  const accuracy = specs.find((spec) => spec.id === ACCURACY_CHART.id) ?? ACCURACY_CHART;
  return (
    <div className="overview">
      <TimeSeriesChart spec={accuracy} history={history} xScale={xScale} markers={markers} height="fill" />
      <PredictionGridPanel size={250} />
    </div>
  );
}

/** The run's live progress measures (waves in the test logits): the hidden progress behind flat test accuracy. */
function SingleLaneProgress() {
  const { markers } = useChartData();
  const history = useChartHistory();
  const xScale = useLab((state) => state.xScale);
  const color = useLane((state) => state.color);
  const lanes = useMemo(() => [{ name: 'run', color, history }], [color, history]);
  return <LanesProgressChart lanes={lanes} markers={markers} xScale={xScale} />;
}

/** One lane: its charts and views; several: the race's. */
function MainContent() {
  const racing = useLab((state) => state.lanes.length > 1);
  const sweeping = useSweepOpen();
  if (sweeping) return <SweepView />;
  return racing ? <RaceView /> : <RunContent />;
}

function RunContent() {
  return (
    <>
      <GrokBanner />
      <Overview />
      <div className="main__toolbar">
        <h2 className="main__heading">Inside the network</h2>
        <ScaleToggle />
      </div>
      <SingleLaneProgress />
      <ChartGrid exclude={[ACCURACY_CHART.id]} />
      <div className="views-row">
        <FourierPanel />
        <EmbeddingPanel />
      </div>
    </>
  );
}

function LabView() {
  return (
    <div className="lab">
      <header className="topbar">
        <h1 className="topbar__title">Grok Lab</h1>
        <DatasetTitle />
        <RunControls />
        <div className="topbar__end">
          <LessonsButton />
          <BackendBadge />
          <ClassroomToggle />
        </div>
      </header>
      <Notices />
      <LessonBar />
      <div className="lab__body">
        <SidebarDrawer>
          <PresetPicker />
          <SweepEntry />
          <LaneTabs />
          <RegularizerPanel />
          <TrainingPanel />
          <SetupPanel />
          <RunsPanel />
        </SidebarDrawer>
        <main className="main">
          <MainContent />
        </main>
      </div>
    </div>
  );
}

function Lab() {
  const classroom = useLab((state) => state.classroom);
  const running = useLab((state) => state.lanes.some((lane) => lane.status === 'running'));
  const connect = useLab((state) => state.connect);
  const sweeping = useSweepOpen();
  useLessonKeys();
  useShortcuts();
  useUrlSync();
  useAutosave();
  useWakeLock(running);
  useEffect(() => {
    void connect();
  }, [connect]);
  useEffect(() => {
    document.documentElement.classList.toggle('classroom-mode', classroom);
  }, [classroom]);
  if (!classroom) return <LabView />;
  return sweeping ? (
    <SweepClassroomView>
      <LessonBar />
    </SweepClassroomView>
  ) : (
    <ClassroomView />
  );
}

/**
 * The lab page, driven by one store of lanes (real workers in the app, fakes in tests), the sweep's store and the
 * lessons' store.
 */
export function App({
  store,
  sweep,
  lessons,
}: {
  store: LabStore;
  sweep?: SweepStore;
  lessons?: LessonStore;
}) {
  const lab = (
    <LabProvider store={store}>
      <Lab />
    </LabProvider>
  );
  const taught = lessons ? <LessonProvider store={lessons}>{lab}</LessonProvider> : lab;
  return sweep ? <SweepProvider store={sweep}>{taught}</SweepProvider> : taught;
}
