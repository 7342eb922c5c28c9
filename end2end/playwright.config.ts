import { defineConfig } from '@playwright/test';
import path from 'node:path';

// The server is the release binary built by `cargo leptos build --release`,
// started on its own port with a fresh data directory and the demo data.
const port = process.env.CAREPORT_E2E_PORT ?? '3107';
const bin = process.env.CAREPORT_SERVER_BIN ?? path.resolve(__dirname, '../target/release/server');
const dataDir = process.env.CAREPORT_E2E_DATA_DIR ?? path.resolve(__dirname, '../target/e2e-data');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  // No retries, on CI too: a journey that fails once is a fault to find (a
  // retry had kept a wasm refused with 403 green), and its trace is kept.
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-first-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    command: bin,
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    // The server logs warnings and errors to stdout: shown with the report.
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      ...process.env,
      CAREPORT_ADDR: `127.0.0.1:${port}`,
      CAREPORT_DATA_DIR: dataDir,
      CAREPORT_DEMO_DATA: 'true',
      CAREPORT_LOG: 'warn',
    } as Record<string, string>,
  },
});
