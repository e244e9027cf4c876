import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded one. These flags keep it off the (closed) network.
const common = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // WebGL2 renders through SwiftShader; the silent software fallback is deprecated.
  '--enable-unsafe-swiftshader',
];
const webgpu = ['--enable-unsafe-webgpu', '--use-angle=swiftshader', '--use-vulkan=swiftshader', '--enable-features=Vulkan'];
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: './tests',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    trace: 'off',
  },
  webServer: {
    command: `python3 -m http.server ${port} --bind 127.0.0.1 --directory ../dist`,
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'ignore',
  },
  projects: [
    {
      name: 'webgl2',
      use: { browserName: 'chromium', launchOptions: { executablePath: '/usr/bin/chromium', args: common } },
      metadata: { backend: 'WebGL2' },
    },
    {
      name: 'webgpu',
      use: { browserName: 'chromium', launchOptions: { executablePath: '/usr/bin/chromium', args: [...common, ...webgpu] } },
      metadata: { backend: 'WebGPU' },
    },
  ],
});
