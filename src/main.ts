// No web font on the way to the first map: map labels come from prebuilt glyph ranges (map/glyphs/), the UI uses
// the system's CJK font (app.css); Noto Sans SC's @font-face rules load only if a label needs a character the
// built ranges lack (map/glyphs/protocol.ts).
import 'maplibre-gl/dist/maplibre-gl.css';
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { startSession } from './lib/state/session.svelte';
import { detectServer, startShared } from './lib/shared/shared.svelte';
import { initialDataset } from './lib/data/load';
import { listenForDrops } from './lib/state/drop';
import { mapLibrary } from './lib/map/library';

// start phases, read by bench/startup.bench.ts (planner:* marks; the module graph is evaluated when this line runs)
performance.mark('planner:modules');
// the data loads while the session is restored and the map is created (App.svelte awaits the same promise)
void initialDataset(new URL('./data/', document.baseURI).href);
// maplibre-gl is not part of the start bundle's module graph: it is evaluated when it is in, between the tasks below
void mapLibrary().catch(() => {}); // reported where App.svelte awaits it
// is this served by `npm run server`? asked now, so the answer is in while the session is restored
const server = detectServer();
// a file dropped anywhere opens the import, from the first moment
listenForDrops();
const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
// restore autosaved work (and the view in the URL) before the UI can show or accept edits
await startSession().catch((e) => console.error('session start failed', e));
performance.mark('planner:session');
// served by `npm run server`: sign in and work on the shared project (otherwise nothing changes)
await startShared(server).catch((e) => console.error('shared project failed', e));
performance.mark('planner:shared');
mount(App, { target });
performance.mark('planner:mounted');
