// Dispatch over a decoded DomainEvent with std::visit and an overload set that names every
// event type, either as a handler or as ignored:
//
//   std::visit(domain::Handlers{[&](const domain::JobStarted& started) { ... },
//                               [&](const domain::JobFailed& failed) { ... },
//                               domain::Ignore<domain::ProjectCreated, ...>{}},
//              domain::Decode(event));
//
// A type that is neither handled nor ignored has no operator() to call: a compile error,
// so a new event type cannot be forgotten silently. Do not add a catch-all (auto) handler.
#pragma once

namespace docledger::domain {

template <class... Fs>
struct Handlers : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Handlers(Fs...) -> Handlers<Fs...>;

template <class Event>
struct IgnoreOne {
  void operator()(const Event&) const {}
};

// The event types a visit deliberately does nothing for.
template <class... Events>
struct Ignore : IgnoreOne<Events>... {
  using IgnoreOne<Events>::operator()...;
};

}  // namespace docledger::domain
