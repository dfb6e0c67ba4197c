/**
 * Electron main: wires the engine, the local DynamoDB endpoint and the backend to one window.
 * Logic lives in electron/backend/ (plain Node, unit-tested); this file only adapts it to
 * Electron's APIs.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, shell, type IpcMainInvokeEvent, type MenuItemConstructorOptions } from 'electron';
import { basename, extname, join } from 'node:path';
import { openEngine } from '../engine/engine.ts';
import { startEndpoint } from '../engine/server.ts';
import { DataDirectoryInUseError } from '../engine/storage/dataDirLock.ts';
import { createBackend, type Backend } from './backend/backend.ts';
import { contentSecurityPolicy } from './backend/csp.ts';
import { LocalEndpointController } from './backend/localEndpoint.ts';
import { findRendererDir, readRendererFile } from './backend/rendererFiles.ts';
import { EncryptedFileSecretStore, MemorySecretStore, type SecretStore } from './backend/secrets.ts';
import { fitToDisplays, loadWindowState, saveWindowState, type WindowState } from './backend/windowState.ts';
import { CHANNEL_NAMES, IPC_EVENT_CHANNEL, IPC_PREFIX, type AppCommand } from './contract.ts';

const APP_SCHEME = 'app';
const APP_HOST = 'dynamo-lens';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

// A standard, secure scheme gives the renderer a real origin (so 'self' in the CSP, fetch and
// Monaco's workers behave as on https) without a file:// origin that can read the disk.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
]);

if (!app.requestSingleInstanceLock()) {
  // Another copy owns the data directory (LMDB allows one writer process); it focuses its window.
  app.quit();
} else {
  void app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox('Dynamo Lens could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}

let mainWindow: BrowserWindow | undefined;

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const dataDir = join(userData, 'data');
  // Another process (a `dynamo-lens serve`, say) owns the data directory: run on an in-memory
  // store rather than not at all, and say so in the window.
  let storageProblem: string | undefined;
  const engine = await openEngine({ dataDir }).catch(async (error: unknown) => {
    if (!(error instanceof DataDirectoryInUseError)) throw error;
    storageProblem = `${error.message} This window keeps its tables in memory until you restart it.`;
    return openEngine({ inMemory: true });
  });
  const secrets: SecretStore = safeStorage.isEncryptionAvailable()
    ? await EncryptedFileSecretStore.open(join(userData, 'secrets.json'), {
        encrypt: (text) => safeStorage.encryptString(text),
        decrypt: (data) => safeStorage.decryptString(data),
      })
    : new MemorySecretStore();
  const backend = createBackend({
    engine,
    stateDir: userData,
    secrets,
    shell: 'electron',
    version: app.getVersion(),
    ...(storageProblem ? { storageProblem } : {}),
    dialogs: {
      async chooseSavePath(suggestedName) {
        const extension = extname(suggestedName).slice(1);
        const result = await dialog.showSaveDialog(mainWindow!, {
          defaultPath: join(app.getPath('documents'), basename(suggestedName)),
          filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
        });
        return result.canceled || !result.filePath ? null : result.filePath;
      },
    },
  });

  const endpoint = new LocalEndpointController((port) => startEndpoint({ engine, port, host: '127.0.0.1' }));
  const applyEndpoint = async () => {
    const settings = await backend.invoke('settings/get', null);
    if (!settings.ok) return;
    const state = await endpoint.apply(settings.value.localEndpoint);
    backend.setLocalEndpoint(state.url, state.note);
    if (state.url) engine.describeOwner({ endpoint: state.url });
  };
  await applyEndpoint();
  backend.subscribe((event) => {
    if (event === 'settings/changed') void applyEndpoint();
  });

  const rendererDir = findRendererDir();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || !rendererDir) return new Response('Not found', { status: 404 });
    const file = await readRendererFile(rendererDir, url.pathname);
    if (file.status !== 200) return new Response(file.message, { status: file.status });
    const headers: Record<string, string> = { 'content-type': file.contentType, 'x-content-type-options': 'nosniff' };
    if (file.isPage) headers['content-security-policy'] = contentSecurityPolicy();
    return new Response(new Uint8Array(file.body), { headers });
  });

  registerIpc(backend);
  Menu.setApplicationMenu(buildMenu(backend));
  await openWindow(join(userData, 'window.json'));

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    // Close LMDB and the endpoint cleanly once; quitting resumes afterwards.
    event.preventDefault();
    app.removeAllListeners('will-quit');
    void (async () => {
      await backend.close().catch(() => undefined);
      await endpoint.close().catch(() => undefined);
      await engine.close().catch(() => undefined);
      app.quit();
    })();
  });
}

/** Only our own page may call the backend (VS Code's validatedIpcMain checks the frame the same way). */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url;
  if (!url) return false;
  try {
    return new URL(url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

function registerIpc(backend: Backend): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(IPC_PREFIX + channel, async (event, request: unknown) => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'Forbidden', message: 'Request from an untrusted frame' } };
      return backend.dispatch(channel, request);
    });
  }
  backend.subscribe((event, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_EVENT_CHANNEL, event, payload);
  });
}

async function openWindow(stateFile: string): Promise<void> {
  const saved = await loadWindowState(stateFile);
  const bounds = fitToDisplays(saved.bounds, screen.getAllDisplays().map((d) => d.workArea));
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Dynamo Lens',
    backgroundColor: '#1b1d22',
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow = window;
  if (saved.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  // The app never navigates or opens windows; web links go to the system browser instead.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());

  let saveTimer: NodeJS.Timeout | undefined;
  const rememberBounds = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      if (window.isDestroyed()) return;
      const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
      void saveWindowState(stateFile, state).catch(() => undefined);
    }, 300);
  };
  window.on('resize', rememberBounds);
  window.on('move', rememberBounds);
  window.on('close', () => {
    clearTimeout(saveTimer);
    void saveWindowState(stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() }).catch(() => undefined);
  });
  window.on('closed', () => (mainWindow = undefined));

  await window.loadURL(`${APP_ORIGIN}/index.html`);
}

function buildMenu(backend: Backend): Menu {
  const command = (name: AppCommand) => () => backend.emit('app/command', { command: name });
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Table…', accelerator: 'CmdOrCtrl+Shift+N', click: command('new-table') },
        { label: 'New Item…', accelerator: 'CmdOrCtrl+N', click: command('new-item') },
        { label: 'Add Connection…', click: command('add-connection') },
        { type: 'separator' },
        { label: 'Export Items…', accelerator: 'CmdOrCtrl+Shift+E', click: command('export-items') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Command Palette…', accelerator: 'CmdOrCtrl+K', click: command('palette') },
        { label: 'Refresh', accelerator: 'F5', click: command('refresh') },
        { label: 'Toggle Theme', click: command('toggle-theme') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
