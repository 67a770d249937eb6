"""Answer from the retrieved clauses, verbatim, with citations — or say the plans do not say.

In: the analysed question (`QueryInfo`) and the ranked `Hit`s. Out: a `Drafted` answer (text,
refused, citations). `profile` reads what the answer must contain, `units` splits chunks into
quotable sentences/rows, `scoring` ranks them, `compose` writes the short answer, `refusal`
decides when to refuse, `duties` answers "what must agency X do", `plan_facts` answers about the
plan itself, `cross_plan` compares provinces, `extractive` ties them together and `generative`
lets an LLM phrase the answer under the same citation checks.
"""
