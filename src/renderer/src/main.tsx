import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import './styles/theme.css';
import './styles/base.css';
import './styles/controls.css';
import './styles/shell.css';
import './styles/status.css';
import './styles/batch.css';
import './styles/cleanup.css';
import './styles/detail.css';
import './styles/wizard.css';
import './styles/pages.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // Events keep the cache fresh; refetching on focus would only add load on the host.
    queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 },
    mutations: { retry: 0 },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
