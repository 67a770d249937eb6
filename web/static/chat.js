// Plain chat: POST /api/ask and render the answer with its citations (text only, never HTML).
const form = document.getElementById("ask");
const log = document.getElementById("log");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const q = document.getElementById("q").value.trim();
  if (!q) return;
  const turn = document.createElement("div");
  turn.className = "turn";
  turn.textContent = "Đang tìm…";
  log.appendChild(turn);
  const res = await fetch("/api/ask", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({question: q})});
  const data = await res.json();
  turn.textContent = "";
  const question = document.createElement("p"); question.textContent = "❓ " + q; turn.appendChild(question);
  const answer = document.createElement("p"); answer.textContent = data.error ? data.error.message : data.answer; turn.appendChild(answer);
  for (const c of (data.citations || [])) {
    const cite = document.createElement("p"); cite.className = "cite"; cite.textContent = c.label + ": “" + c.quote + "”"; turn.appendChild(cite);
  }
});
