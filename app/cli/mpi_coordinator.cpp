#include "app/cli/mpi_coordinator.h"

#ifdef BT_WITH_MPI
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/cli/exit_codes.h"
#include "engine/config/run_config_json.h"
#include "engine/train/device.h"
#include "engine/train/trainer.h"

namespace bt::app::cli {

MpiCoordinator::~MpiCoordinator() {
    if (m_world == nullptr) {
        return;
    }
    try {
        if (m_announced) {
            eval::releaseWorkers(*m_world);
        } else {
            m_world->broadcast(std::string());
        }
    } catch (const std::exception& e) {
        std::cerr << "error: MPI: the worker ranks could not be released: " << e.what() << '\n';
    }
}

void MpiCoordinator::announce(config::RunConfig& config) {
    if (m_world == nullptr) {
        return;
    }
    m_world->broadcast(config::toJson(config).dump());
    m_announced = true;
    config.training.device = train::deviceForRank(config.training.device, 0);
}

run::EvaluatorFactory MpiCoordinator::factory() const {
    if (m_world == nullptr) {
        return {};
    }
    MpiWorld* world = m_world;
    return [world](const train::Trainer& trainer) -> std::unique_ptr<eval::Evaluator> {
        return std::make_unique<eval::MpiEvaluator>(*world, trainer);
    };
}

std::string MpiCoordinator::description() const {
    if (m_world == nullptr) {
        return {};
    }
    const int workers = m_world->size() - 1;
    return workers == 0 ? "MPI: 1 rank, training in this process"
                        : "MPI: " + std::to_string(m_world->size()) + " ranks, " +
                              std::to_string(workers) + " training";
}

int workerMain(MpiWorld& world, spdlog::logger& log) {
    const auto text = world.broadcast(std::string());
    if (text.empty()) {
        return kExitOk; // rank 0 stopped before the run started, and says why
    }
    std::unique_ptr<train::Trainer> trainer;
    std::string error;
    try {
        auto config =
            config::parseRunConfig(nlohmann::json::parse(text), "configuration from MPI rank 0");
        config.training.device = train::deviceForRank(config.training.device, world.rank());
        const auto prepared = run::prepareRun(config);
        trainer = std::make_unique<train::Trainer>(prepared.problem, run::trainerOptions(config));
        log.info("MPI rank {} on {}: ready ({}, {})", world.rank(), world.host(),
                 prepared.dataDescription, prepared.device);
    } catch (const std::exception& e) {
        error = e.what();
        log.error("MPI rank {} on {}: {}", world.rank(), world.host(), error);
    }
    eval::serveEvaluations(world, trainer.get(), error);
    return kExitOk;
}

} // namespace bt::app::cli
#endif
