/** Generated images: paged thumbnails (newest first), a lightbox, copy / delete, storage stats. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { GalleryImage, ImageStorageInfo } from '../../shared/admin-dto';
import { useI18n, useTransport } from '../app/context';
import { useAction, useLoad } from '../app/hooks';
import { Banner } from '../components/Banner';
import { CopyButton } from '../components/CopyButton';
import { Dialog, useConfirm } from '../components/Dialog';
import { Page } from '../components/Page';
import { ErrorState, Loading } from '../components/States';
import { imageSrc, listenerOrigin } from '../lib/endpoints';

const PAGE_SIZE = 48;

function StorageCard({ info, onOpenFolder }: { info: ImageStorageInfo; onOpenFolder?: () => void }) {
  const { t, fmt } = useI18n();
  return (
    <section class="card card-wide storage" aria-labelledby="storage-title" data-testid="image-storage">
      <h2 id="storage-title">{t('gallery.storage')}</h2>
      <p>
        {t('gallery.storageLine', {
          storage: t(`storage.${info.storage}`),
          count: fmt.number(info.count),
          size: fmt.bytes(info.bytes),
        })}
        {info.folder && (
          <>
            {' · '}
            <code>{info.folder}</code>
          </>
        )}
        {onOpenFolder && (
          <button type="button" class="btn btn-small" onClick={onOpenFolder} data-testid="open-image-folder">
            {t('gallery.openFolder')}
          </button>
        )}
      </p>
      {info.problem && <Banner kind="warning">{t('gallery.problem', { problem: info.problem })}</Banner>}
    </section>
  );
}

interface LightboxProps {
  image: GalleryImage;
  src: string;
  onDelete: () => void;
  onClose: () => void;
}

function Lightbox({ image, src, onDelete, onClose }: LightboxProps) {
  const { desktop } = useTransport();
  const { t, fmt } = useI18n();
  return (
    <Dialog title={image.model ?? t('gallery.image')} onClose={onClose} wide testId="lightbox">
      <img class="lightbox-image" src={src} alt={image.prompt ?? image.model ?? t('gallery.image')} />
      <dl class="facts">
        <dt>{t('gallery.prompt')}</dt>
        <dd class="prompt-full">{image.prompt ?? '—'}</dd>
        <dt>{t('gallery.created')}</dt>
        <dd>{fmt.dateTime(image.createdAt)}</dd>
        <dt>{t('gallery.size')}</dt>
        <dd>
          {fmt.bytes(image.bytes)} · {image.mimeType}
        </dd>
        <dt>{t('gallery.source')}</dt>
        <dd>
          {t(`gallery.source.${image.source}`)} · {t(`storage.${image.storage}`)}
        </dd>
      </dl>
      <div class="row">
        <CopyButton text={src} label={t('gallery.copyUrl')} testId="lightbox-copy-url" />
        {desktop ? (
          <button type="button" class="btn btn-small" onClick={() => void desktop.openExternal(src)}>
            {t('gallery.openOriginal')}
          </button>
        ) : (
          <a class="btn btn-small" href={src} target="_blank" rel="noopener noreferrer">
            {t('gallery.openOriginal')}
          </a>
        )}
        <button
          type="button"
          class="btn btn-small btn-danger"
          onClick={onDelete}
          data-testid="lightbox-delete"
        >
          {t('common.delete')}
        </button>
      </div>
    </Dialog>
  );
}

export function GalleryPage() {
  const { admin, desktop, kind } = useTransport();
  const { t, fmt } = useI18n();
  const { busy, run } = useAction();
  const [confirmDialog, confirm] = useConfirm();
  const [images, setImages] = useState<GalleryImage[]>([]);
  const [total, setTotal] = useState(0);
  const [pageState, setPageState] = useState<{ loading: boolean; error?: unknown }>({ loading: true });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<GalleryImage | null>(null);
  const storage = useLoad(() => admin.imageStorage(), []);
  // In Electron the page is a file:// URL: relative image URLs resolve against the gateway.
  const gateway = useLoad(async () => (kind === 'ipc' ? (await admin.getStatus()).listening : null), []);
  const gatewayOrigin = gateway.data ? listenerOrigin(gateway.data.baseUrl) : null;
  const srcOf = (image: GalleryImage) => imageSrc(image.url, gatewayOrigin, location.href);

  const loadPage = useCallback(
    async (offset: number) => {
      setPageState({ loading: true });
      try {
        const page = await admin.listImages({ offset, limit: PAGE_SIZE });
        // New images shift the pages while browsing: drop what is already shown.
        setImages((current) => {
          const base = offset === 0 ? [] : current;
          const seen = new Set(base.map((i) => i.id));
          return [...base, ...page.entries.filter((i) => !seen.has(i.id))];
        });
        setTotal(page.total);
        setPageState({ loading: false });
      } catch (error) {
        setPageState({ loading: false, error });
      }
    },
    [admin],
  );

  useEffect(() => {
    void loadPage(0);
  }, [loadPage]);

  const remove = async (ids: string[]) => {
    const message =
      ids.length === 1 ? t('gallery.deleteConfirm') : t('gallery.deleteManyConfirm', { count: ids.length });
    if (!(await confirm(message, { confirmLabel: t('common.delete') }))) return;
    const result = await run('delete', () => admin.deleteImages(ids));
    if (!result) return;
    const gone = new Set(result.deleted);
    setImages((list) => list.filter((i) => !gone.has(i.id)));
    setTotal((n) => Math.max(0, n - gone.size));
    setSelected((s) => new Set([...s].filter((id) => !gone.has(id))));
    if (open && gone.has(open.id)) setOpen(null);
    await storage.reload();
  };

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const localFolder = storage.data?.storage === 'local' && storage.data.folder !== null;

  return (
    <Page
      name="gallery"
      title={t('gallery.title')}
      actions={
        selected.size > 0 && (
          <>
            <span class="muted">{t('gallery.selected', { count: fmt.number(selected.size) })}</span>
            <button type="button" class="btn" onClick={() => setSelected(new Set())}>
              {t('gallery.clearSelection')}
            </button>
            <button
              type="button"
              class="btn btn-danger"
              onClick={() => void remove([...selected])}
              disabled={busy !== null}
              data-testid="gallery-delete-selected"
            >
              {t('gallery.deleteSelected')}
            </button>
          </>
        )
      }
    >
      {storage.data && (
        <StorageCard
          info={storage.data}
          onOpenFolder={
            desktop && localFolder ? () => void run('folder', () => desktop.openImageFolder()) : undefined
          }
        />
      )}
      {images.length === 0 && !pageState.loading && pageState.error === undefined && (
        <p class="muted">{t('gallery.empty')}</p>
      )}
      <ul class="gallery" aria-label={t('gallery.title')}>
        {images.map((image) => (
          <li
            key={image.id}
            class={`gallery-item${selected.has(image.id) ? ' selected' : ''}`}
            data-testid="gallery-item"
          >
            <button
              type="button"
              class="thumb"
              onClick={() => setOpen(image)}
              aria-label={t('gallery.openImage', { name: image.prompt ?? image.model ?? image.id })}
              data-testid="gallery-open"
            >
              <img src={srcOf(image)} alt="" loading="lazy" decoding="async" />
            </button>
            <input
              type="checkbox"
              class="select"
              checked={selected.has(image.id)}
              onChange={(e) => toggle(image.id, e.currentTarget.checked)}
              aria-label={t('gallery.selectImage', { name: image.prompt ?? image.model ?? image.id })}
              data-testid="gallery-select"
            />
            <div class="caption">
              <span class="caption-model">{image.model ?? '—'}</span>
              <time dateTime={new Date(image.createdAt).toISOString()} title={fmt.dateTime(image.createdAt)}>
                {fmt.shortDateTime(image.createdAt)}
              </time>
              {image.prompt && (
                <p class="caption-prompt" title={image.prompt}>
                  {image.prompt}
                </p>
              )}
            </div>
          </li>
        ))}
      </ul>
      {pageState.error !== undefined && (
        <ErrorState error={pageState.error} onRetry={() => void loadPage(images.length)} />
      )}
      {pageState.loading && <Loading />}
      {!pageState.loading && images.length < total && (
        <div class="row center">
          <span class="muted">
            {t('gallery.shown', { shown: fmt.number(images.length), total: fmt.number(total) })}
          </span>
          <button
            type="button"
            class="btn"
            onClick={() => void loadPage(images.length)}
            data-testid="gallery-load-more"
          >
            {t('gallery.loadMore')}
          </button>
        </div>
      )}
      {open && (
        <Lightbox
          image={open}
          src={srcOf(open)}
          onDelete={() => void remove([open.id])}
          onClose={() => setOpen(null)}
        />
      )}
      {confirmDialog}
    </Page>
  );
}
