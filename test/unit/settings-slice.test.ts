import { describe, expect, it, beforeEach } from 'vitest';
import { app } from '../../src/lib/state/app.svelte';
import { setHouseholdSize } from '../../src/lib/state/settings.svelte';
import { onEdited } from '../../src/lib/state/persisted';
import { UndoManager } from '../../src/lib/state/undo';
import { buildProject, importProjectText, projectToText, ProjectError } from '../../src/lib/state/project';
import { datasetOf } from '../fixtures/project/dataset';

// issue 10: the edited household size (estimated residents) is part of the project, like every other edit
beforeEach(() => {
  app.setDataset(datasetOf(['C01', 'C02']), { synthetic: true, source: 'test' });
  app.householdSizeOverride = null;
});

describe('household size is saved with the project', () => {
  it('goes into the project file and comes back from it', () => {
    expect(setHouseholdSize(2.6)).toBe(true);
    const text = projectToText(buildProject());
    expect(JSON.parse(text).slices.settings).toEqual({ version: 1, householdSize: 2.6 });
    setHouseholdSize(null);
    expect(app.householdSizeOverride).toBeNull();
    importProjectText(text);
    expect(app.householdSizeOverride).toBe(2.6);
    expect(app.householdSize).toBe(2.6);
  });

  it('is one undo step, and undo brings back the district default', () => {
    const undo = new UndoManager().start();
    const labels: string[] = [];
    const off = onEdited((l) => labels.push(l));
    setHouseholdSize(3.1);
    off();
    expect(labels).toEqual(['户均人口 = 3.1']);
    expect(undo.undo()).toBe('户均人口 = 3.1');
    expect(app.householdSizeOverride).toBeNull();
    expect(undo.redo()).toBe('户均人口 = 3.1');
    expect(app.householdSize).toBe(3.1);
    undo.stop();
  });

  it('refuses values out of range, and a project file with one', () => {
    expect(setHouseholdSize(30)).toBe(false);
    expect(setHouseholdSize(0)).toBe(false);
    expect(app.householdSizeOverride).toBeNull();
    const p = JSON.parse(projectToText(buildProject()));
    p.slices.settings = { version: 1, householdSize: 40 };
    expect(() => importProjectText(JSON.stringify(p))).toThrow(ProjectError);
    expect(app.householdSizeOverride).toBeNull();
  });
});
