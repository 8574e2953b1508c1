import { t } from "../i18n.js";

export function AdminPage() {
  return <p class="muted">{t("loading")}</p>;
}
