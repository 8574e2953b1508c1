import { t } from "../i18n.js";

export function GrowerPage() {
  return <p class="muted">{t("loading")}</p>;
}
