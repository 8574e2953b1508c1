/**
 * Scan a bag label's QR code with the phone's camera, where the browser has BarcodeDetector
 * (Chrome on Android, Safari 17+ on iOS…). Elsewhere the scan button is not shown, and the search
 * box still takes the code, typed or sent by a hardware scanner (code + Enter).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { tc } from "./words.js";

interface Detected {
  rawValue: string;
}
interface Detector {
  detect(source: HTMLVideoElement): Promise<Detected[]>;
}
interface DetectorClass {
  new (options?: { formats: string[] }): Detector;
  getSupportedFormats?(): Promise<string[]>;
}

function detectorClass(): DetectorClass | null {
  const ctor = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  return ctor && typeof navigator.mediaDevices?.getUserMedia === "function" ? ctor : null;
}

/** Can this phone scan QR codes? Decided once, after the first render. */
export function useScanSupport(): boolean {
  const [ok, setOk] = useState(false);
  useEffect(() => {
    const ctor = detectorClass();
    if (!ctor) return;
    let live = true;
    const formats = ctor.getSupportedFormats
      ? ctor.getSupportedFormats().catch(() => [] as string[])
      : Promise.resolve(["qr_code"]);
    void formats.then((f) => {
      if (live) setOk(f.includes("qr_code"));
    });
    return () => {
      live = false;
    };
  }, []);
  return ok;
}

interface Props {
  onCode(raw: string): void;
  onClose(): void;
}

export function Scanner({ onCode, onClose }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const [error, setError] = useState("");
  const done = useRef({ onCode, onClose });
  done.current = { onCode, onClose };

  useEffect(() => {
    close.current?.focus();
    const ctor = detectorClass();
    if (!ctor) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let live = true;
    const stop = () => {
      live = false;
      if (timer) clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
    const detector = new ctor({ formats: ["qr_code"] });
    const look = async () => {
      const v = video.current;
      if (!live || !v) return;
      try {
        if (v.readyState >= 2) {
          const found = (await detector.detect(v)).find((d) => d.rawValue.trim());
          if (found && live) {
            stop();
            done.current.onCode(found.rawValue);
            return;
          }
        }
      } catch {
        // A frame that could not be read: try the next one.
      }
      if (live) timer = setTimeout(look, 200);
    };
    void navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(async (s) => {
        stream = s;
        if (!live) return stop();
        const v = video.current;
        if (!v) return;
        v.srcObject = s;
        await v.play().catch(() => undefined);
        void look();
      })
      .catch((err: unknown) => {
        if (live) setError(tc("scanFailed", { message: (err as Error)?.message ?? "" }));
      });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") done.current.onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => {
      stop();
      window.removeEventListener("keydown", onKey);
    };
  }, []);

  return (
    <div class="co-scanner" role="dialog" aria-modal="true" aria-labelledby="co-scan-title">
      <div class="co-scanner-box">
        <h2 id="co-scan-title">{tc("scanTitle")}</h2>
        <p class="small">{tc("scanHint")}</p>
        <video ref={video} muted playsInline class="co-video" />
        {error && (
          <p class="notice bad" role="alert">
            {error}
          </p>
        )}
        <button ref={close} type="button" class="co-btn" onClick={onClose}>
          {tc("scanClose")}
        </button>
      </div>
    </div>
  );
}
