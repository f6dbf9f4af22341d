import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import 'maplibre-gl/dist/maplibre-gl.css';
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { startSession } from './lib/state/session.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
// restore autosaved work (and the view in the URL) before the UI can show or accept edits
await startSession().catch((e) => console.error('session start failed', e));
mount(App, { target });
