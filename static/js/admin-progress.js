"use strict";
// Follows a PDF being generated: asks for the page again every two seconds and replaces the
// progress part in place, until the PDF is done or has failed. A page refreshing itself
// (meta refresh) would move a screen reader back to the top each time; the region is
// aria-live instead, so the new status is read out. Without script, the page has a link to
// refresh it.
(function () {
    const DELAY = 2000;

    async function follow(region) {
        const response = await fetch(window.location.href, {
            credentials: "same-origin",
            headers: {Accept: "text/html"},
        });
        if (!response.ok) {
            return; // The Refresh link is still there.
        }
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = page.getElementById(region.id);
        if (!fresh) {
            return;
        }
        region.innerHTML = fresh.innerHTML;
        region.dataset.finished = fresh.dataset.finished;
        if (fresh.dataset.finished !== "true") {
            window.setTimeout(() => follow(region), DELAY);
        }
    }

    document.addEventListener("DOMContentLoaded", () => {
        const region = document.getElementById("generation");
        if (region && region.dataset.finished !== "true") {
            window.setTimeout(() => follow(region), DELAY);
        }
    });
})();
