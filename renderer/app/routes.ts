/** Hash routing (`#/logs`): works unchanged from file:// in Electron and under /admin/ on the server. */
import { useEffect, useState } from 'preact/hooks';

export const PAGES = ['dashboard', 'settings', 'keys', 'usage', 'logs', 'gallery'] as const;
export type Page = (typeof PAGES)[number];

export const pageOf = (hash: string): Page => {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'dashboard';
};

export const hrefOf = (page: Page): string => `#/${page}`;

export function useRoute(): Page {
  const [page, setPage] = useState<Page>(() => pageOf(location.hash));
  useEffect(() => {
    const onHashChange = () => setPage(pageOf(location.hash));
    addEventListener('hashchange', onHashChange);
    return () => removeEventListener('hashchange', onHashChange);
  }, []);
  return page;
}
