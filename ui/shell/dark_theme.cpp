#include "ui/shell/dark_theme.h"

#include <QApplication>
#include <QIcon>
#include <QPainter>
#include <QPixmap>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QStyleOption>

namespace bt::ui {

namespace {

class DarkStyle : public QProxyStyle {
public:
    DarkStyle() : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion"))) {}

    void drawPrimitive(PrimitiveElement element, const QStyleOption* option, QPainter* painter,
                       const QWidget* widget) const override {
        const auto* button = qstyleoption_cast<const QStyleOptionButton*>(option);
        if (button != nullptr &&
            (element == PE_IndicatorCheckBox || element == PE_IndicatorRadioButton)) {
            // Fusion draws the indicator's outline in the window colour darkened by 140 %: from
            // this window colour the outline is a grey of about 115 (the base inside stays the
            // palette's). A list's check boxes come here too (Fusion draws
            // PE_IndicatorItemViewItemCheck as PE_IndicatorCheckBox).
            QStyleOptionButton copy(*button);
            copy.palette.setColor(QPalette::Window, QColor(160, 160, 164));
            QProxyStyle::drawPrimitive(element, &copy, painter, widget);
            return;
        }
        QProxyStyle::drawPrimitive(element, option, painter, widget);
    }

    // Fusion's tool bar extension (the » of a bar too narrow for its buttons) is a dark
    // pixmap, all but invisible on this palette's window: drawn here in the text colour.
    QIcon standardIcon(StandardPixmap icon, const QStyleOption* option,
                       const QWidget* widget) const override {
        const bool horizontal = icon == SP_ToolBarHorizontalExtensionButton;
        if (!horizontal && icon != SP_ToolBarVerticalExtensionButton) {
            return QProxyStyle::standardIcon(icon, option, widget);
        }
        QPixmap pixmap(10, 10);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(makeDarkPalette().color(QPalette::WindowText), 1.4));
        for (const double at : {1.5, 5.5}) { // two chevrons, pointing right or down
            const QPolygonF chevron = horizontal ? QPolygonF{{at, 1.5}, {at + 3.0, 5.0}, {at, 8.5}}
                                                 : QPolygonF{{1.5, at}, {5.0, at + 3.0}, {8.5, at}};
            painter.drawPolyline(chevron);
        }
        painter.end();
        return QIcon(pixmap);
    }
};

} // namespace

QPalette makeDarkPalette() {
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(45, 45, 48));
    dark.setColor(QPalette::WindowText, QColor(220, 220, 220));
    dark.setColor(QPalette::Base, QColor(30, 30, 32));
    dark.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
    dark.setColor(QPalette::Text, QColor(220, 220, 220));
    dark.setColor(QPalette::Button, QColor(55, 55, 58));
    dark.setColor(QPalette::ButtonText, QColor(220, 220, 220));
    dark.setColor(QPalette::Highlight, QColor(42, 130, 218));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    // Links (the form's "make them now"): the default dark blue does not read on this window.
    dark.setColor(QPalette::Link, QColor(110, 175, 255));
    dark.setColor(QPalette::LinkVisited, QColor(175, 140, 255));
    dark.setColor(QPalette::ToolTipBase, QColor(30, 30, 32));
    dark.setColor(QPalette::ToolTipText, QColor(220, 220, 220));
    dark.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
    dark.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
    dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
    dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
    return dark;
}

QStyle* makeDarkStyle() {
    return new DarkStyle;
}

void useDarkTheme() {
    QApplication::setStyle(makeDarkStyle());
    QApplication::setPalette(makeDarkPalette());
}

} // namespace bt::ui
