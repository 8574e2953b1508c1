import { t } from "../i18n.js";

export function PrintPage() {
  return <p class="muted">{t("loading")}</p>;
}
